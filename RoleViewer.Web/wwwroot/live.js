// RoleViewer's only script: background refresh of the live regions, change highlighting, the token
// countdown, copy buttons, Try-it forms without reload, and the theme switch. Served as a file so the
// Content-Security-Policy can stay script-src 'self'.
(() => {
  'use strict';

  const HIGHLIGHT_MS = 60_000;
  const added = new Map();   // row id -> when it appeared
  const removed = new Map(); // row id -> { html, at }
  let timer = 0;

  const dashboard = () => document.getElementById('dashboard');
  const refreshSeconds = () => Number(dashboard()?.dataset.refreshSeconds) || 10;
  const liveRows = root => [...root.querySelectorAll('tr[data-id]:not([data-ghost])')];

  function schedule(seconds = refreshSeconds()) {
    clearTimeout(timer);
    timer = setTimeout(() => refresh(), seconds * 1000);
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
      schedule();
    }
  }

  function swap(fragment) {
    const beforeRows = new Map(liveRows(document).map(row => [row.dataset.id, row]));
    // Rows are "new" only against a list that was on screen; after a loading or error state everything would be.
    const hadList = document.querySelector('[data-testid="assignments-table"], [data-testid="empty-state"]') !== null;
    const focusedHref = document.activeElement?.closest('[data-live-region]') ? document.activeElement.getAttribute('href') : null;

    for (const region of fragment.querySelectorAll('[data-live-region]')) {
      const current = document.getElementById(region.id);
      if (current) current.replaceChildren(...document.adoptNode(region).childNodes);
    }

    const now = Date.now();
    const afterIds = new Set(liveRows(document).map(row => row.dataset.id));
    const hasList = document.querySelector('[data-testid="assignments-table"], [data-testid="empty-state"]') !== null;
    if (hadList && hasList) {
      for (const id of afterIds) if (!beforeRows.has(id)) added.set(id, now);
      for (const [id, row] of beforeRows) if (!afterIds.has(id)) removed.set(id, { html: row.outerHTML, at: now });
    }
    for (const id of afterIds) removed.delete(id);
    markChanges(now);
    tickCountdowns();

    if (focusedHref) document.querySelector(`[data-live-region] [href="${CSS.escape(focusedHref)}"]`)?.focus();
  }

  function markChanges(now) {
    for (const [id, at] of added) if (now - at > HIGHLIGHT_MS) added.delete(id);
    for (const [id, ghost] of removed) if (now - ghost.at > HIGHLIGHT_MS) removed.delete(id);

    for (const row of liveRows(document)) {
      if (added.has(row.dataset.id)) {
        row.classList.add('row-added');
        row.querySelector('th')?.insertAdjacentHTML('beforeend', ' <span class="change-badge">new</span>');
      }
    }
    const body = document.querySelector('table.assignments tbody');
    if (!body) return;
    for (const ghost of removed.values()) {
      const template = document.createElement('template');
      template.innerHTML = ghost.html;
      const row = template.content.firstElementChild;
      row.dataset.ghost = '';
      row.classList.remove('row-added');
      row.classList.add('row-removed');
      row.querySelector('.change-badge')?.remove();
      row.querySelector('th')?.insertAdjacentHTML('beforeend', ' <span class="change-badge">removed</span>');
      body.append(row);
    }
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

  async function submitTryIt(event) {
    const form = event.target;
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
      if (response.ok) refresh(true);
    } catch (error) {
      status.textContent = `The request did not reach the web app (${error.message}); check that it is running and try again.`;
    } finally {
      buttons.forEach(b => b.disabled = false);
    }
  }

  async function copy(event) {
    const button = event.target.closest('[data-copy-target]');
    if (!button) return;
    const text = document.getElementById(button.dataset.copyTarget)?.textContent ?? '';
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
    } catch {
      button.textContent = 'Select the command and copy it';
    }
    setTimeout(() => { button.textContent = 'Copy command'; }, 3000);
  }

  const themes = ['system', 'light', 'dark'];
  function applyTheme(theme) {
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
    const button = document.getElementById('theme-toggle');
    if (button) {
      button.textContent = `Theme: ${theme}`;
    }
  }

  function toggleTheme() {
    const current = localStorage.getItem('roleviewer.theme') ?? 'system';
    const next = themes[(themes.indexOf(current) + 1) % themes.length];
    localStorage.setItem('roleviewer.theme', next);
    applyTheme(next);
  }

  applyTheme(localStorage.getItem('roleviewer.theme') ?? 'system');
  document.addEventListener('submit', submitTryIt);
  document.addEventListener('click', event => {
    if (event.target.closest('#theme-toggle')) toggleTheme();
    else copy(event);
  });
  document.addEventListener('DOMContentLoaded', () => {
    applyTheme(localStorage.getItem('roleviewer.theme') ?? 'system');
    tickCountdowns();
    setInterval(tickCountdowns, 1000);
    schedule();
  });
})();
