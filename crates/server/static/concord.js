// concord's only script (served from /static/concord.js; pages allow no inline script).
window.__concordErrors = [];
window.addEventListener('error', function (e) { window.__concordErrors.push(String(e.message)); });
document.addEventListener('DOMContentLoaded', function () {
  // the campaign page: choosing a rung shows it
  document.querySelectorAll('select[data-autosubmit]').forEach(function (s) {
    s.addEventListener('change', function () { s.form.submit(); });
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
