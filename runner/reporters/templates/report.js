(function () {
  "use strict";
  // Nothing runs at load but this wiring: the list is plain HTML, filtered only when asked.
  var box = document.getElementById("q");
  var failedOnly = document.getElementById("failed-only");
  var count = document.getElementById("shown");
  var timer = null;
  function apply() {
    var text = box.value.trim().toLowerCase();
    var rows = document.querySelectorAll("details.exec");
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var match = !text || row.firstElementChild.textContent.toLowerCase().indexOf(text) >= 0;
      row.hidden = !match;
      if (match && (!failedOnly.checked || row.classList.contains("fail"))) { shown++; }
    }
    count.textContent = text || failedOnly.checked ? shown + " shown" : "";
  }
  if (box) {
    box.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(apply, 200); });
  }
  if (failedOnly) {
    failedOnly.addEventListener("change", function () {
      document.body.classList.toggle("failed-only", failedOnly.checked);
      apply();
    });
  }
})();
