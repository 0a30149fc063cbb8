// concord's only script (served from /static/concord.js; pages allow no inline script).
window.__concordErrors = [];
window.addEventListener('error', function (e) { window.__concordErrors.push(String(e.message)); });
document.addEventListener('DOMContentLoaded', function () {
  // the rung selectors: choosing a rung with the mouse shows it at once; from the keyboard
  // the arrows only move the choice (no change of page on input), Enter or the button shows it
  document.querySelectorAll('select[data-autosubmit]').forEach(function (s) {
    var keyed = false;
    s.addEventListener('keydown', function (e) {
      keyed = true;
      if (e.key === 'Enter') { e.preventDefault(); s.form.submit(); }
    });
    s.addEventListener('mousedown', function () { keyed = false; });
    s.addEventListener('change', function () { if (!keyed) { s.form.submit(); } });
  });
  // the ingest page: a chosen file fills the text area
  var file = document.getElementById('file');
  if (file) {
    file.addEventListener('change', function (e) {
      var f = e.target.files[0]; if (!f) return;
      f.text().then(function (t) { document.getElementById('bundle').value = t; });
    });
  }
});
