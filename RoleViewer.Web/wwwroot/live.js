// RoleViewer's only script: background refresh of the live regions, change highlighting against what this viewer
// saw, sort and filter in the browser, details rows, copy buttons, Try-it without reload, the token countdown and the
// theme switch. Served as a file so the Content-Security-Policy can stay script-src 'self'. Without it the page still
// works: the server renders the same sort and filter from the query string.
(() => {
  'use strict';

  const HIGHLIGHT_MS = 60_000;
  const SEEN_KEY = 'roleviewer.seen';
  const added = new Map();   // row id -> when it appeared
  const removed = new Map(); // row id -> { html, at }
  let timer = 0;
  let pendingCountdown = 0;
  let pointAt = null;        // after a Try-it change: { kind: 'role' | 'identity', until }

  const dashboard = () => document.getElementById('dashboard');
  const refreshSeconds = () => Number(dashboard()?.dataset.refreshSeconds) || 10;
  const liveRows = root => [...root.querySelectorAll('tbody[data-id]:not([data-ghost])')];
  const hasList = () => document.querySelector('#assignments-region [data-testid="assignments-table"], #assignments-region [data-testid="empty-state"]') !== null;

  function schedule(seconds = refreshSeconds(), forceRefresh = false) {
    clearTimeout(timer);
    timer = setTimeout(() => refresh(forceRefresh), seconds * 1000);
  }

  // forceRefresh: the Api re-reads Azure instead of serving its cache (after a Try-it change).
  async function refresh(forceRefresh = false) {
    const dash = dashboard();
    if (!dash) return;
    const query = new URLSearchParams(location.search);
    if (forceRefresh === true) query.set('refresh', 'true');
    try {
      const response = await fetch(`${dash.dataset.fragmentUrl}?${query}`, {
        headers: { Accept: 'text/html' }, cache: 'no-store', credentials: 'same-origin'
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      swap(new DOMParser().parseFromString(await response.text(), 'text/html'));
      showConnectionProblem(null);
    } catch (error) {
      showConnectionProblem(`Lost contact with the RoleViewer web app (${error.message}). ` +
        `Check that the web resource is running; this page retries every ${refreshSeconds()} s by itself.`);
    } finally {
      if (!scheduleDeferredRefresh()) schedule();
    }
  }

  // The Api deferred a forced refresh (its rate limit): count down on screen and ask again when it allows.
  function scheduleDeferredRefresh() {
    const pending = document.querySelector('[data-refresh-in]');
    clearInterval(pendingCountdown);
    if (!pending) return false;
    let seconds = Number(pending.dataset.refreshIn) || 5;
    pendingCountdown = setInterval(() => {
      seconds = Math.max(0, seconds - 1);
      const counter = pending.querySelector('[data-refresh-countdown]');
      if (counter) counter.textContent = String(seconds);
      if (seconds === 0) clearInterval(pendingCountdown);
    }, 1000);
    schedule(seconds, true);
    return true;
  }

  // What to give focus back to after the regions are replaced: the same control in the new markup.
  function focusKey(element) {
    if (!element?.closest('[data-live-region]')) return null;
    for (const name of ['id', 'data-sort-key', 'aria-controls', 'data-copy', 'data-copy-target', 'href', 'datetime']) {
      const value = element.getAttribute(name);
      if (value) return `[${name}="${CSS.escape(value)}"]`;
    }
    return null;
  }

  function swap(fragment) {
    const beforeRows = new Map(liveRows(document).map(row => [row.dataset.id, row]));
    const focused = focusKey(document.activeElement);
    const openState = new Map([...document.querySelectorAll('[data-live-region] details[id]')].map(d => [d.id, d.open]));
    const expanded = [...document.querySelectorAll('[data-live-region] .expand[aria-expanded="true"]')].map(b => b.getAttribute('aria-controls'));

    for (const region of fragment.querySelectorAll('[data-live-region]')) {
      const current = document.getElementById(region.id);
      if (!current) continue;
      if (region.id === 'assignments-region' && keepLastList(current, region)) continue;
      current.replaceChildren(...document.adoptNode(region).childNodes);
    }

    for (const details of document.querySelectorAll('[data-live-region] details[id]')) {
      if (openState.has(details.id)) details.open = openState.get(details.id);
    }
    for (const id of expanded) setExpanded(document.querySelector(`.expand[aria-controls="${CSS.escape(id)}"]`), true);

    const now = Date.now();
    const changedNow = [];
    if (hasList()) {
      const current = liveRows(document);
      const afterIds = new Set(current.map(row => row.dataset.id));
      const seen = readSeen();
      if (seen) {
        // New against what this viewer saw, even if an error or a reload came in between.
        for (const id of afterIds) if (!seen.has(id) && !added.has(id)) { added.set(id, now); changedNow.push(id); }
        for (const [id, row] of beforeRows) {
          if (!afterIds.has(id) && !removed.has(id)) { removed.set(id, { html: row.outerHTML, at: now }); changedNow.push(id); }
        }
      }
      for (const id of afterIds) removed.delete(id);
      writeSeen(afterIds);
    }
    markChanges(now);
    applyView(false);
    tickCountdowns();
    pointAtChange(changedNow);

    markFollowed();
    if (focused) document.querySelector(`[data-live-region] ${focused}`)?.focus({ preventScroll: true });
  }

  // A followed link's target (e.g. #chain-step-entraToken) may sit in a live region: the swap replaces that node, and
  // :target does not move to its replacement, so the detail the reader opened would close on the next refresh.
  function markFollowed() {
    for (const old of document.querySelectorAll('[data-followed]')) old.removeAttribute('data-followed');
    const id = decodeURIComponent(location.hash.slice(1));
    if (id) document.getElementById(id)?.setAttribute('data-followed', '');
  }
  window.addEventListener('hashchange', markFollowed);

  // A failure after a list was on screen does not wipe it: the failure shows above the last list, marked as such.
  function keepLastList(current, incoming) {
    const table = current.querySelector('[data-testid="assignments-table"]');
    const failure = incoming.querySelector('[data-testid="section-failure"]');
    if (!table || !failure || incoming.querySelector('[data-testid="assignments-table"], [data-testid="empty-state"]')) return false;
    current.querySelector('[data-testid="section-failure"]')?.remove();
    current.prepend(document.adoptNode(failure));
    if (!table.querySelector('[data-kept]')) {
      table.caption?.insertAdjacentHTML('beforeend', ' <strong data-kept>(the last list this page received)</strong>');
    }
    return true;
  }

  function readSeen() {
    try {
      const stored = sessionStorage.getItem(SEEN_KEY);
      return stored ? new Set(JSON.parse(stored)) : null;
    } catch { return null; }
  }

  function writeSeen(ids) {
    try { sessionStorage.setItem(SEEN_KEY, JSON.stringify([...ids])); } catch { /* private mode: highlights last this page only */ }
  }

  function markChanges(now) {
    for (const [id, at] of added) if (now - at > HIGHLIGHT_MS) added.delete(id);
    for (const [id, ghost] of removed) if (now - ghost.at > HIGHLIGHT_MS) removed.delete(id);

    for (const row of liveRows(document)) {
      if (added.has(row.dataset.id) && !row.classList.contains('row-added')) {
        row.classList.add('row-added');
        row.querySelector('th')?.insertAdjacentHTML('beforeend', ' <span class="change-badge">new</span>');
      }
    }
    const table = document.querySelector('table.assignments');
    if (!table) return;
    for (const [id, ghost] of removed) {
      if (table.querySelector(`tbody[data-id="${CSS.escape(id)}"]`)) continue;
      const template = document.createElement('template');
      template.innerHTML = ghost.html;
      const row = template.content.firstElementChild;
      row.dataset.ghost = '';
      row.classList.remove('row-added');
      row.classList.add('row-removed');
      row.querySelector('.change-badge')?.remove();
      row.querySelector('th')?.insertAdjacentHTML('beforeend', ' <span class="change-badge">removed</span>');
      table.append(row);
    }
  }

  function pointAtChange(changedIds) {
    if (!pointAt || Date.now() > pointAt.until) { pointAt = null; return; }
    let target = null;
    if (pointAt.kind === 'identity') target = document.getElementById('identity');
    else if (changedIds.length > 0) target = document.querySelector(`tbody[data-id="${CSS.escape(changedIds[0])}"]`);
    if (!target) return;
    pointAt = null;
    const still = matchMedia('(prefers-reduced-motion: reduce)').matches;
    target.scrollIntoView({ block: 'center', behavior: still ? 'auto' : 'smooth' });
    target.classList.add('pointed');
    setTimeout(() => target.classList.remove('pointed'), 4000);
  }

  // ---- Sort and filter in the browser: the same rules as AssignmentQuery on the server. ----

  const upper = value => (value ?? '').toUpperCase();
  const compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

  function viewFromUrl() {
    const params = new URLSearchParams(location.search);
    const keys = [...document.querySelectorAll('a[data-sort-key]')].map(a => a.dataset.sortKey);
    const sort = keys.includes(params.get('sort')) ? params.get('sort') : 'role';
    return { sort, desc: upper(params.get('dir')) === 'DESC', q: (params.get('q') ?? '').trim(), type: params.get('type') ?? '' };
  }

  function setView(view) {
    const params = new URLSearchParams();
    params.set('sort', view.sort);
    params.set('dir', view.desc ? 'desc' : 'asc');
    if (view.q) params.set('q', view.q);
    if (view.type) params.set('type', view.type);
    history.replaceState(history.state, '', `${location.pathname}?${params}${location.hash}`);
  }

  function applyView(syncForm = true) {
    const table = document.querySelector('table.assignments');
    const view = viewFromUrl();
    if (syncForm) syncFilterForm(view);
    if (!table) return;

    const rows = [...table.tBodies];
    rows.sort((a, b) => {
      const byKey = compare(upper(a.dataset[`sort${view.sort[0].toUpperCase()}${view.sort.slice(1)}`]),
        upper(b.dataset[`sort${view.sort[0].toUpperCase()}${view.sort.slice(1)}`]));
      return (view.desc ? -byKey : byKey) || compare(a.dataset.id, b.dataset.id);
    });
    table.append(...rows);

    const q = view.q.toLowerCase();
    let shown = 0;
    for (const row of rows) {
      const match = (!view.type || upper(row.dataset.type) === upper(view.type)) && (!q || (row.dataset.search ?? '').includes(q));
      row.hidden = !match;
      if (match && !row.hasAttribute('data-ghost')) shown++;
    }
    const count = table.querySelector('[data-shown-count]');
    if (count) count.textContent = String(shown);
    const none = document.querySelector('[data-no-match]');
    if (none) none.hidden = shown > 0 || liveRows(table).length === 0;
    const clear = document.querySelector('[data-clear-filter]');
    if (clear) clear.hidden = !view.q && !view.type;

    for (const link of table.querySelectorAll('a[data-sort-key]')) {
      const key = link.dataset.sortKey;
      const current = key === view.sort;
      link.closest('th')?.setAttribute('aria-sort', current ? (view.desc ? 'descending' : 'ascending') : 'none');
      if (!current) link.closest('th')?.removeAttribute('aria-sort');
      const mark = link.querySelector('.sort-mark');
      if (mark) mark.textContent = current ? (view.desc ? ' ▼' : ' ▲') : '';
      const next = new URLSearchParams(location.search);
      next.set('sort', key);
      next.set('dir', current && !view.desc ? 'desc' : 'asc');
      link.setAttribute('href', `/?${next}`);
    }
  }

  function syncFilterForm(view) {
    const form = document.querySelector('form[data-filter]');
    if (!form) return;
    if (form.elements.sort) form.elements.sort.value = view.sort;
    if (form.elements.dir) form.elements.dir.value = view.desc ? 'desc' : 'asc';
  }

  function readFilterForm() {
    const form = document.querySelector('form[data-filter]');
    const current = viewFromUrl();
    return {
      sort: form?.elements.sort?.value || current.sort,
      desc: (form?.elements.dir?.value ?? (current.desc ? 'desc' : 'asc')) === 'desc',
      q: (form?.elements.q?.value ?? '').trim(),
      type: form?.elements.type?.value ?? ''
    };
  }

  function onSortClick(event) {
    const link = event.target.closest('a[data-sort-key]');
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return false;
    event.preventDefault();
    const view = viewFromUrl();
    const key = link.dataset.sortKey;
    setView({ ...view, sort: key, desc: key === view.sort ? !view.desc : false });
    applyView();
    return true;
  }

  function onFilterChange(event) {
    if (!event.target.closest('form[data-filter]')) return;
    setView(readFilterForm());
    applyView(false);
  }

  function showConnectionProblem(message) {
    let banner = document.getElementById('connection-banner');
    if (!message) { banner?.remove(); return; }
    if (!banner) {
      banner = document.createElement('div');
      banner.id = 'connection-banner';
      banner.className = 'banner banner-error';
      banner.setAttribute('role', 'alert');
      dashboard()?.prepend(banner);
    }
    banner.textContent = message;
  }

  // ---- Details rows, copy buttons, Try-it, countdowns, theme. ----

  function setExpanded(button, open) {
    if (!button) return;
    button.setAttribute('aria-expanded', String(open));
    const target = document.getElementById(button.getAttribute('aria-controls'));
    if (target) target.hidden = !open;
  }

  async function submitTryIt(event) {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute('data-filter')) {
      event.preventDefault();
      setView(readFilterForm());
      applyView(false);
      return;
    }
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-try-it')) return;
    event.preventDefault();
    const status = document.getElementById('try-it-status');
    // Read the form before disabling its buttons: a disabled submitter is left out of the form data.
    const body = new FormData(form, event.submitter);
    const buttons = form.querySelectorAll('button');
    buttons.forEach(b => b.disabled = true);
    status.textContent = 'Working…';
    try {
      // getAttribute: form.action would return the submit button named "action".
      const response = await fetch(form.getAttribute('action'), {
        method: 'POST', body,
        headers: { Accept: 'application/json' }, credentials: 'same-origin'
      });
      const answer = await response.json().catch(() => ({}));
      status.textContent = response.ok
        ? answer.message
        : `${answer.title ?? `HTTP ${response.status}`}: ${answer.detail ?? 'the web app refused the request; reload the page and try again.'}`;
      if (response.ok) {
        pointAt = { kind: form.dataset.pointsAt === 'identity' ? 'identity' : 'role', until: Date.now() + 60_000 };
        refresh(true);
      }
    } catch (error) {
      status.textContent = `The request did not reach the web app (${error.message}); check that it is running and try again.`;
    } finally {
      buttons.forEach(b => b.disabled = false);
    }
  }

  async function copy(button) {
    const text = button.dataset.copy ?? document.getElementById(button.dataset.copyTarget)?.textContent ?? '';
    const label = button.dataset.label ?? button.textContent;
    button.dataset.label = label;
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
    } catch {
      button.textContent = 'Select it and copy';
    }
    setTimeout(() => { button.textContent = label; }, 3000);
  }

  function tickCountdowns() {
    for (const time of document.querySelectorAll('time[data-countdown]')) {
      const seconds = Math.round((Date.parse(time.getAttribute('datetime')) - Date.now()) / 1000);
      time.textContent = seconds >= 0 ? `in ${duration(seconds)}` : `expired ${duration(-seconds)} ago`;
    }
  }

  function duration(s) {
    const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
    if (d > 0) return `${d} d ${h} h`;
    if (h > 0) return `${h} h ${m} min`;
    if (m > 0) return `${m} min ${s % 60} s`;
    return `${s} s`;
  }

  const themes = ['system', 'light', 'dark'];
  function applyTheme(theme) {
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
    const button = document.getElementById('theme-toggle');
    if (button) button.textContent = `Theme: ${theme}`;
  }

  function toggleTheme() {
    const current = localStorage.getItem('roleviewer.theme') ?? 'system';
    const next = themes[(themes.indexOf(current) + 1) % themes.length];
    localStorage.setItem('roleviewer.theme', next);
    applyTheme(next);
  }

  applyTheme(localStorage.getItem('roleviewer.theme') ?? 'system');
  document.addEventListener('submit', submitTryIt);
  document.addEventListener('input', onFilterChange);
  document.addEventListener('change', onFilterChange);
  document.addEventListener('click', event => {
    const target = event.target;
    if (target.closest('#theme-toggle')) toggleTheme();
    else if (target.closest('.expand')) {
      const button = target.closest('.expand');
      setExpanded(button, button.getAttribute('aria-expanded') !== 'true');
    } else if (target.closest('button.copy')) copy(target.closest('button.copy'));
    else onSortClick(event);
  });
  document.addEventListener('DOMContentLoaded', () => {
    applyTheme(localStorage.getItem('roleviewer.theme') ?? 'system');
    document.querySelector('form[data-filter] [data-apply]')?.setAttribute('hidden', '');
    // Rows this viewer has not seen in this tab (e.g. added while the page was closed or reloading) are new too.
    const seen = readSeen();
    const now = Date.now();
    if (hasList()) {
      const ids = liveRows(document).map(row => row.dataset.id);
      if (seen) for (const id of ids) if (!seen.has(id)) added.set(id, now);
      writeSeen(new Set(ids));
    }
    markChanges(now);
    markFollowed();
    applyView();
    tickCountdowns();
    setInterval(tickCountdowns, 1000);
    if (!scheduleDeferredRefresh()) schedule();
  });
})();
