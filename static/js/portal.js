/*
 * 금천구청 누리집: progressive enhancement only. Every page works without
 * this file. It is loaded in <head> without defer so that the classes on
 * <html> (menu, 글자 크기) apply before the first paint; everything that
 * touches the page waits for DOMContentLoaded.
 */
(function () {
  "use strict";

  var ROTATE_MS = 5000;
  var root = document.documentElement;

  /* 글자 크기: a class on <html>; every size in portal.css is in rem. */
  var TEXT_SIZE_KEY = "geumcheon-text-size";
  var TEXT_SIZES = [
    { name: "text-small", label: "작게 (90%)" },
    { name: "", label: "기본 (100%)" },
    { name: "text-large", label: "크게 (115%)" },
    { name: "text-xlarge", label: "더 크게 (130%)" },
    { name: "text-xxlarge", label: "가장 크게 (150%)" }
  ];
  var TEXT_DEFAULT = 1;

  function storedTextSize() {
    try {
      var value = parseInt(window.localStorage.getItem(TEXT_SIZE_KEY), 10);
      return value >= 0 && value < TEXT_SIZES.length ? value : TEXT_DEFAULT;
    } catch (error) {
      return TEXT_DEFAULT; // storage switched off: the default size, no error
    }
  }

  function applyTextSize(index) {
    for (var i = 0; i < TEXT_SIZES.length; i++) {
      if (TEXT_SIZES[i].name) {
        root.classList.toggle(TEXT_SIZES[i].name, i === index);
      }
    }
  }

  root.classList.add("js");
  if (window.HTMLDialogElement) {
    root.classList.add("js-menu");
  }
  applyTextSize(storedTextSize());

  function prefersReducedMotion() {
    return !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  }

  function each(selector, callback) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), callback);
  }

  /* Banner carousel: 이전/다음, 정지/재생, pauses on hover, stops on focus. */
  function initCarousel(carousel) {
    var slides = carousel.querySelectorAll("[data-carousel-slide]");
    var controls = carousel.querySelector("[data-carousel-controls]");
    var track = carousel.querySelector("[data-carousel-track]");
    if (slides.length < 2 || !controls || !track) {
      return;
    }
    var counter = carousel.querySelector("[data-carousel-current]");
    var toggle = carousel.querySelector("[data-carousel-toggle]");
    var index = 0;
    var timer = null;
    var stopped = prefersReducedMotion();
    var hovered = false;

    function show(next) {
      index = (next + slides.length) % slides.length;
      for (var i = 0; i < slides.length; i++) {
        slides[i].hidden = i !== index;
      }
      if (counter) {
        counter.textContent = String(index + 1);
      }
    }

    function schedule() {
      window.clearInterval(timer);
      timer = null;
      if (!stopped && !hovered) {
        timer = window.setInterval(function () { show(index + 1); }, ROTATE_MS);
      }
    }

    function setStopped(value) {
      stopped = value;
      toggle.textContent = stopped ? "재생" : "정지";
      // Announce slide changes only while the user is in control.
      track.setAttribute("aria-live", stopped ? "polite" : "off");
      schedule();
    }

    for (var i = 0; i < slides.length; i++) {
      slides[i].setAttribute("role", "group");
      slides[i].setAttribute("aria-roledescription", "배너");
      slides[i].setAttribute("aria-label", (i + 1) + " / " + slides.length);
    }
    carousel.classList.add("is-carousel");
    controls.hidden = false;

    carousel.querySelector("[data-carousel-prev]").addEventListener("click", function () { show(index - 1); });
    carousel.querySelector("[data-carousel-next]").addEventListener("click", function () { show(index + 1); });
    toggle.addEventListener("click", function () { setStopped(!stopped); });

    carousel.addEventListener("mouseenter", function () { hovered = true; schedule(); });
    carousel.addEventListener("mouseleave", function () { hovered = false; schedule(); });
    // Keyboard focus anywhere but the 정지/재생 button stops rotation for good.
    carousel.addEventListener("focusin", function (event) {
      if (event.target !== toggle && !stopped) {
        setStopped(true);
      }
    });

    show(0);
    setStopped(stopped);
  }

  /* 주요소식: headings become tabs (automatic activation, roving tabindex). */
  function initTabs(container) {
    var panels = container.querySelectorAll("[data-tab-panel]");
    if (panels.length < 2) {
      return;
    }
    var list = document.createElement("div");
    var tabs = [];
    list.className = "tab-list";
    list.setAttribute("role", "tablist");
    if (container.getAttribute("data-tabs")) {
      list.setAttribute("aria-labelledby", container.getAttribute("data-tabs"));
    }

    function select(position, moveFocus) {
      for (var i = 0; i < tabs.length; i++) {
        var active = i === position;
        tabs[i].setAttribute("aria-selected", active ? "true" : "false");
        tabs[i].tabIndex = active ? 0 : -1;
        panels[i].hidden = !active;
      }
      if (moveFocus) {
        tabs[position].focus();
      }
    }

    Array.prototype.forEach.call(panels, function (panel, position) {
      var heading = panel.querySelector("h3");
      var tab = document.createElement("button");
      tab.type = "button";
      tab.className = "tab";
      tab.id = "tab-" + panel.id;
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", panel.id);
      tab.textContent = heading ? heading.textContent : String(position + 1);
      tab.addEventListener("click", function () { select(position, false); });
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      panel.tabIndex = 0;
      tabs.push(tab);
      list.appendChild(tab);
    });

    list.addEventListener("keydown", function (event) {
      var current = tabs.indexOf(document.activeElement);
      var last = tabs.length - 1;
      var target = {
        ArrowLeft: current - 1 < 0 ? last : current - 1,
        ArrowRight: current + 1 > last ? 0 : current + 1,
        Home: 0,
        End: last
      }[event.key];
      if (current === -1 || target === undefined) {
        return;
      }
      event.preventDefault();
      select(target, true);
    });

    container.insertBefore(list, container.firstChild);
    container.classList.add("is-enhanced");
    select(0, false);
  }

  /* 전체메뉴: a modal <dialog> holding a copy of the main menu (small screens). */
  function initMenu() {
    var button = document.querySelector("[data-menu-open]");
    var dialog = document.querySelector("[data-menu-dialog]");
    var source = document.querySelector("[data-menu-source]");
    var target = dialog && dialog.querySelector("[data-menu-target]");
    if (!button || !source || !target || typeof dialog.showModal !== "function") {
      root.classList.remove("js-menu"); // the header menu stays in view
      return;
    }
    var list = source.cloneNode(true);
    list.removeAttribute("data-menu-source");
    list.className = "all-menu-list";
    target.appendChild(list);
    button.hidden = false;

    function focusables() {
      return dialog.querySelectorAll("a[href], button:not([disabled])");
    }

    button.addEventListener("click", function () {
      dialog.showModal();
      button.setAttribute("aria-expanded", "true");
      dialog.querySelector("[data-menu-close]").focus();
    });
    dialog.querySelector("[data-menu-close]").addEventListener("click", function () { dialog.close(); });
    // Escape closes a modal dialog by itself; every way of closing ends here.
    dialog.addEventListener("close", function () {
      button.setAttribute("aria-expanded", "false");
      button.focus();
    });
    // Keep Tab and Shift+Tab inside the dialog instead of leaving for the browser's toolbar.
    dialog.addEventListener("keydown", function (event) {
      if (event.key !== "Tab") {
        return;
      }
      var items = focusables();
      var first = items[0];
      var last = items[items.length - 1];
      if (event.shiftKey && (document.activeElement === first || !dialog.contains(document.activeElement))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    });
    // A click on the backdrop (outside the panel) closes the menu.
    dialog.addEventListener("click", function (event) {
      var box = dialog.getBoundingClientRect();
      var inside = event.clientX >= box.left && event.clientX <= box.right &&
        event.clientY >= box.top && event.clientY <= box.bottom;
      if (event.target === dialog && !inside) {
        dialog.close();
      }
    });
    // Wide screens show the menu in the header; a menu left open there is closed.
    if (window.matchMedia) {
      var wide = window.matchMedia("(min-width: 1024px)");
      var closeIfWide = function () {
        if (wide.matches && dialog.open) {
          dialog.close();
        }
      };
      if (wide.addEventListener) {
        wide.addEventListener("change", closeIfWide);
      }
    }
  }

  /* 글자 크기 and 인쇄 buttons on content pages (hidden without JS). */
  function initPageTools(tools) {
    var status = tools.querySelector("[data-text-size-status]");
    var current = storedTextSize();

    function set(index) {
      current = Math.max(0, Math.min(TEXT_SIZES.length - 1, index));
      applyTextSize(current);
      try {
        window.localStorage.setItem(TEXT_SIZE_KEY, String(current));
      } catch (error) {
        // Not kept for the next page; this page still changes.
      }
      if (status) {
        status.textContent = "글자 크기: " + TEXT_SIZES[current].label;
      }
    }

    Array.prototype.forEach.call(tools.querySelectorAll("[data-text-size]"), function (sizeButton) {
      sizeButton.addEventListener("click", function () {
        var step = sizeButton.getAttribute("data-text-size");
        set(step === "up" ? current + 1 : step === "down" ? current - 1 : TEXT_DEFAULT);
      });
    });
    var print = tools.querySelector("[data-print]");
    if (print && window.print) {
      print.addEventListener("click", function () { window.print(); });
    }
    tools.hidden = false;
  }

  function init() {
    each("[data-carousel]", initCarousel);
    each("[data-tabs]", initTabs);
    each("[data-page-tools]", initPageTools);
    initMenu();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
