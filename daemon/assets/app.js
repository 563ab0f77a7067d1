// kigen's one script.  The pages work without it: it only applies a filter
// as soon as it is chosen, keeps empty fields out of shared URLs, and
// scrolls the timeline to today.
(function () {
  'use strict';
  document.querySelectorAll('form.filters').forEach(function (form) {
    form.querySelectorAll('select').forEach(function (select) {
      select.addEventListener('change', function () { form.requestSubmit(); });
    });
    form.addEventListener('submit', function () {
      form.querySelectorAll('input, select').forEach(function (field) {
        if (!field.value) field.disabled = true;
      });
    });
  });
  // Back to a page whose fields were disabled on submit: usable again.
  window.addEventListener('pageshow', function () {
    document.querySelectorAll('form.filters [disabled]').forEach(function (field) {
      field.disabled = false;
    });
  });
  var line = document.querySelector('.tl-bars .today line');
  var box = document.querySelector('.tl-scroll');
  if (line && box && box.scrollWidth > box.clientWidth) {
    box.scrollLeft = Math.max(0, line.x1.baseVal.value - box.clientWidth / 2);
  }
})();
