// Progressive enhancement of the editor: the page works with plain form posts; with JavaScript,
// saves go through the JSON API without a reload, Ctrl+Enter saves and moves on, leaving a changed
// paragraph saves it, and the browser warns before unsaved work is left behind.
(function () {
  'use strict';
  var units = document.getElementById('units');
  if (!units) return;
  var strings = JSON.parse(document.getElementById('editor-strings').textContent);
  var base = units.getAttribute('data-base');
  var csrf = units.getAttribute('data-csrf');
  var forms = Array.prototype.slice.call(units.querySelectorAll('form.target'));

  function field(form) { return form.querySelector('textarea[name="target"]'); }
  function revisionInput(form) { return form.querySelector('input[name="baseRevision"]'); }
  function unitOf(form) { return form.closest('.unit'); }
  function setStatus(form, text, kind) {
    var status = form.querySelector('[data-status]');
    status.textContent = text;
    status.className = 'status' + (kind ? ' status-' + kind : '');
  }
  function isDirty(form) { return field(form).value !== form.dataset.saved; }

  forms.forEach(function (form) {
    form.dataset.saved = field(form).value;
    field(form).addEventListener('input', function () {
      unitOf(form).classList.toggle('dirty', isDirty(form));
      if (isDirty(form)) setStatus(form, strings.unsaved, 'warning');
      else setStatus(form, '', '');
    });
    field(form).addEventListener('keydown', function (event) {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        save(form).then(function (ok) { if (ok) focusNext(form); });
      }
    });
    field(form).addEventListener('blur', function () { if (isDirty(form)) save(form); });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      save(form);
    });
  });

  function focusNext(form) {
    var next = forms[forms.indexOf(form) + 1];
    if (next) {
      field(next).focus();
      unitOf(next).scrollIntoView({ block: 'center' });
    }
  }

  // One save at a time per paragraph: a blur and a Ctrl+Enter must not race each other.
  function save(form) {
    var previous = form.savePromise || Promise.resolve(true);
    form.savePromise = previous.then(function () { return send(form); });
    return form.savePromise;
  }

  function send(form) {
    if (!isDirty(form) && !form.dataset.force) return Promise.resolve(true);
    var id = unitOf(form).getAttribute('data-id');
    var text = field(form).value;
    setStatus(form, strings.saving, 'pending');
    return fetch('/api' + base + '/segments/' + encodeURIComponent(id), {
      method: 'PUT',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf, Accept: 'application/json' },
      body: JSON.stringify({ target: text, baseRevision: Number(revisionInput(form).value) })
    }).then(function (response) {
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    }).then(function (result) {
      delete form.dataset.force;
      if (result.status === 200) {
        form.dataset.saved = text;
        applySaved(form, result.body);
        return true;
      }
      if (result.status === 409) {
        showConflict(form, result.body.error);
        return false;
      }
      setStatus(form, strings.saveFailed + ' ' + (result.body.error ? result.body.error.message : result.status), 'error');
      return false;
    }).catch(function (err) {
      setStatus(form, strings.saveFailed + ' ' + err.message, 'error');
      return false;
    });
  }

  function applySaved(form, segment) {
    var unit = unitOf(form);
    revisionInput(form).value = String(segment.revision);
    unit.setAttribute('data-revision', String(segment.revision));
    unit.setAttribute('data-state', segment.state);
    unit.classList.remove('dirty', 'conflict');
    var badge = form.querySelector('[data-badge]');
    badge.textContent = strings.states[segment.state] || segment.state;
    badge.className = 'badge badge-' + segment.state;
    // A saved translation is current again: the notice of the source change has done its job.
    var drift = unit.querySelector('[data-drift]');
    if (drift && segment.state !== 'drifted') drift.remove();
    var box = form.querySelector('.conflict-box');
    if (box) box.remove();
    setStatus(form, strings.saved, 'ok');
    updateProgress(segment.progress);
  }

  function updateProgress(progress) {
    if (!progress) return;
    Array.prototype.forEach.call(document.querySelectorAll('[data-count]'), function (el) {
      var state = el.getAttribute('data-count');
      if (typeof progress[state] === 'number') el.textContent = new Intl.NumberFormat(document.documentElement.lang).format(progress[state]);
    });
    var words = progress.words;
    var total = Object.keys(words).reduce(function (sum, key) { return sum + words[key]; }, 0) || 1;
    var x = 0;
    [['approved', words.approved], ['translated', words.translated], ['drifted', words.drifted + words['needs-work']]].forEach(function (part) {
      Array.prototype.forEach.call(document.querySelectorAll('svg.bar .bar-' + part[0]), function (rect) {
        rect.setAttribute('x', String(x));
        rect.setAttribute('width', String(100 * part[1] / total));
      });
      x += 100 * part[1] / total;
    });
  }

  function showConflict(form, error) {
    var unit = unitOf(form);
    unit.classList.add('conflict');
    var old = form.querySelector('.conflict-box');
    if (old) old.remove();
    var box = document.createElement('div');
    box.className = 'conflict-box';
    box.setAttribute('role', 'alert');
    var explain = document.createElement('p');
    explain.textContent = strings.conflict;
    var label = document.createElement('p');
    label.textContent = error.current.by ? strings.theirsBy.replace('{{who}}', error.current.by) : strings.theirs;
    var theirs = document.createElement('blockquote');
    theirs.textContent = error.current.target || '';
    theirs.lang = field(form).lang;
    theirs.dir = field(form).dir;
    var useTheirs = document.createElement('button');
    useTheirs.type = 'button';
    useTheirs.textContent = strings.useTheirs;
    useTheirs.addEventListener('click', function () {
      field(form).value = error.current.target || '';
      form.dataset.saved = field(form).value;
      revisionInput(form).value = String(error.current.revision);
      unit.classList.remove('dirty', 'conflict');
      box.remove();
      setStatus(form, '', '');
    });
    var keepMine = document.createElement('button');
    keepMine.type = 'button';
    keepMine.textContent = strings.keepMine;
    keepMine.addEventListener('click', function () {
      revisionInput(form).value = String(error.current.revision);
      form.dataset.force = '1';
      save(form);
    });
    var parts = [explain, label, theirs];
    if (error.diff) {
      // What saving yours would change in theirs, word by word; edit your text to merge, then save it.
      var diffLabel = document.createElement('p');
      diffLabel.textContent = strings.diff;
      var diff = document.createElement('p');
      diff.className = 'diff';
      error.diff.forEach(function (part) {
        var node = document.createElement(part.added ? 'ins' : part.removed ? 'del' : 'span');
        node.textContent = part.value;
        diff.appendChild(node);
      });
      parts.push(diffLabel, diff);
    }
    parts.push(useTheirs, keepMine);
    box.append.apply(box, parts);
    form.appendChild(box);
    setStatus(form, '', '');
  }

  // Presence, best effort: say which paragraph is open here, show where the others are.
  var focused = null;
  function reportPresence() {
    fetch('/api' + base + '/presence', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf, Accept: 'application/json' },
      body: JSON.stringify({ segment: focused })
    }).then(function (response) { return response.ok ? response.json() : null; }).then(function (body) {
      if (!body) return;
      Array.prototype.forEach.call(units.querySelectorAll('[data-presence]'), function (el) { el.remove(); });
      body.others.forEach(function (other) {
        var unit = document.getElementById('seg-' + other.segment);
        var foot = unit && unit.querySelector('.unit-foot');
        if (!foot) return;
        var badge = document.createElement('span');
        badge.className = 'presence';
        badge.setAttribute('data-presence', '');
        badge.textContent = strings.editing.replace('{{who}}', other.who);
        foot.insertBefore(badge, foot.firstChild);
      });
    }).catch(function () { /* presence is best effort */ });
  }
  forms.forEach(function (form) {
    field(form).addEventListener('focus', function () {
      focused = unitOf(form).getAttribute('data-id');
      reportPresence();
    });
  });
  if (units.getAttribute('data-signed-in') === 'yes') {
    reportPresence();
    setInterval(reportPresence, 15000);
  }

  window.addEventListener('beforeunload', function (event) {
    if (forms.some(isDirty)) {
      event.preventDefault();
      event.returnValue = strings.unsaved;
      return strings.unsaved;
    }
  });
})();
