// The simulated payment page: one submission only. The buttons are disabled once the form is
// sent (a second click would send a second event, which the webhook would ignore anyway).
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("pay");
  if (!form) {
    return;
  }
  form.addEventListener("submit", function (ev) {
    var chosen = ev.submitter;
    if (chosen) {
      var keep = document.createElement("input");
      keep.type = "hidden";
      keep.name = chosen.name;
      keep.value = chosen.value;
      form.appendChild(keep);
    }
    form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    document.getElementById("busy").hidden = false;
  });
});
