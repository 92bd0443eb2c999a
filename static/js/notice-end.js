/*
 * 고시공고 admin: a button beside 게시 종료일시 that suggests the end of 공고기간
 * (the day after 공고기간 끝, 00:00). A suggestion only: staff may change or clear it.
 */
(function () {
  "use strict";

  function nextDay(text) {
    var match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text.trim());
    if (!match) {
      return null;
    }
    var day = new Date(Date.UTC(+match[1], +match[2] - 1, +match[3] + 1));
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return day.getUTCFullYear() + "-" + pad(day.getUTCMonth() + 1) + "-" + pad(day.getUTCDate());
  }

  document.addEventListener("DOMContentLoaded", function () {
    var periodEnd = document.getElementById("id_period_end");
    var endDate = document.getElementById("id_unpublish_at_0");
    var endTime = document.getElementById("id_unpublish_at_1");
    if (!periodEnd || !endDate || !endTime) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.id = "suggest-unpublish-at";
    button.textContent = "공고기간 끝으로 맞추기";
    var status = document.createElement("span");
    status.setAttribute("role", "status");
    status.className = "help";
    button.addEventListener("click", function () {
      var day = nextDay(periodEnd.value);
      if (!day) {
        status.textContent = "공고기간 끝 날짜를 먼저 넣어 주세요.";
        periodEnd.focus();
        return;
      }
      endDate.value = day;
      endTime.value = "00:00:00";
      status.textContent = "게시 종료일시를 공고기간이 끝나는 " + day + " 00:00으로 넣었습니다. 저장해야 반영됩니다.";
    });
    var anchor = endTime.closest("p.datetime") || endTime.parentNode;
    anchor.parentNode.insertBefore(status, anchor.nextSibling);
    anchor.parentNode.insertBefore(button, status);
  });
})();
