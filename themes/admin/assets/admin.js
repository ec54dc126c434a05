// Gazette back office: live preview of the Markdown text, rendered by the
// server (POST /admin/preview/). Everything works without this script; the
// Preview button does the same with a full page load.
'use strict';
(function () {
  var area = document.querySelector('textarea[data-preview]');
  if (!area || !window.fetch) return;
  var pane = document.getElementById(area.getAttribute('data-preview'));
  var form = area.form;
  var csrf = form && form.querySelector('input[name=csrf]');
  if (!pane || !csrf) return;
  document.documentElement.classList.add('js');
  var timer = null, seq = 0;
  function render() {
    var mine = ++seq;
    var body = new URLSearchParams();
    body.set('csrf', csrf.value);
    body.set('body', area.value);
    fetch('/admin/preview/', {method: 'POST', body: body, credentials: 'same-origin'})
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) { if (mine === seq) pane.innerHTML = html; })
      .catch(function () { /* keep the last preview */ });
  }
  area.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(render, 300);
  });
  render();
})();
