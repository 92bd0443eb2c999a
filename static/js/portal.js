/*
 * 금천구청 누리집: progressive enhancement only. Every page works without
 * this file; here the home banners become a carousel and 주요소식 becomes
 * a WAI-ARIA tab panel.
 */
(function () {
  "use strict";

  var ROTATE_MS = 5000;

  function prefersReducedMotion() {
    return !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  }

  /* Banner carousel: 이전/다음, 정지/재생, pauses on hover, stops on focus. */
  function initCarousel(root) {
    var slides = root.querySelectorAll("[data-carousel-slide]");
    var controls = root.querySelector("[data-carousel-controls]");
    var track = root.querySelector("[data-carousel-track]");
    if (slides.length < 2 || !controls || !track) {
      return;
    }
    var counter = root.querySelector("[data-carousel-current]");
    var toggle = root.querySelector("[data-carousel-toggle]");
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
    root.classList.add("is-carousel");
    controls.hidden = false;

    root.querySelector("[data-carousel-prev]").addEventListener("click", function () { show(index - 1); });
    root.querySelector("[data-carousel-next]").addEventListener("click", function () { show(index + 1); });
    toggle.addEventListener("click", function () { setStopped(!stopped); });

    root.addEventListener("mouseenter", function () { hovered = true; schedule(); });
    root.addEventListener("mouseleave", function () { hovered = false; schedule(); });
    // Keyboard focus anywhere but the 정지/재생 button stops rotation for good.
    root.addEventListener("focusin", function (event) {
      if (event.target !== toggle && !stopped) {
        setStopped(true);
      }
    });

    show(0);
    setStopped(stopped);
  }

  /* 주요소식: headings become tabs (automatic activation, roving tabindex). */
  function initTabs(root) {
    var panels = root.querySelectorAll("[data-tab-panel]");
    if (panels.length < 2) {
      return;
    }
    var list = document.createElement("div");
    var tabs = [];
    list.className = "tab-list";
    list.setAttribute("role", "tablist");
    if (root.getAttribute("data-tabs")) {
      list.setAttribute("aria-labelledby", root.getAttribute("data-tabs"));
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

    root.insertBefore(list, root.firstChild);
    root.classList.add("is-enhanced");
    select(0, false);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-carousel]"), initCarousel);
    Array.prototype.forEach.call(document.querySelectorAll("[data-tabs]"), initTabs);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
