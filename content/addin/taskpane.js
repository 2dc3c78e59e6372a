// Phishdrill "Report phishing" task pane for Outlook.
//
// Opening the pane (the ribbon button) reports the open message at once: one click is the whole
// job, and a click by mistake costs no more than a message the security team looks at and closes.
// The pane takes the message's full MIME from Outlook (item.getAsFileAsync, Mailbox 1.14), posts it
// to ./report next to this page (so the workspace token in the path comes along), with the
// signed-in person's address in X-Phishdrill-Reporter, and shows the server's sentence.
//
// The reporting logic is pure functions of what they are given (Office, fetch, location), exposed
// as globalThis.PhishdrillReport so they can be driven without Outlook; start() at the bottom is
// the only code that touches this page's DOM. Classic script (no module) so an old Outlook that
// cannot run it at all still shows the HTML's own fallback hint. No secrets live here: the token
// is in the URL Outlook loads, and the server decides everything.
(function (root) {
  'use strict';

  // Sentences for people, used when the server gives none. The server's message always wins.
  const TEXT = {
    simulation:
      'Well spotted — this was a phishing simulation from your security team. Thank you for ' +
      'reporting it.',
    simulation_other:
      'Well spotted — this was a phishing simulation, sent to someone else. Thank you for ' +
      'reporting it.',
    simulation_ended:
      'Well spotted — this was a phishing simulation from an exercise that has now ended. Thank ' +
      'you for reporting it.',
    triage: 'Thank you — the security team will look at it.',
    duplicate: 'You have already reported this message. Thank you.',
    // The server took the report but could not read the message: people look at it by hand.
    refused:
      'Thank you. We could not read this message automatically, so the security team will look ' +
      'at it by hand.',
    accepted: 'Thank you — your report has reached the security team.',
    unsupported:
      'This version of Outlook cannot hand the message to the button. Please update Outlook or use ' +
      'Outlook on the web, or forward the message as an attachment to your security team.',
    noItem: 'Open a message first, then choose Report phishing.',
    notOutlook:
      'This is the Report phishing button for Outlook. Open a message in Outlook and choose ' +
      'Report phishing to send it to your security team. If you cannot find the button, ask your ' +
      'IT or security team.',
    noOffice:
      'The Outlook add-in library could not be loaded. Check your connection and try again.',
    copyFailed: 'Outlook could not give us a copy of this message. Please try again.',
    unreadable: 'Outlook gave us a copy of this message that we could not read. Please try again.',
    network: 'We could not reach the reporting service. Check your connection and try again.',
    timeout: 'The report took too long. Please try again.',
    tooLarge:
      'This message is too large for the button. Please forward it as an attachment to your ' +
      'security team.',
    busy: 'Many reports are arriving right now. Please wait a moment and try again.',
    serverError: 'The reporting service had a problem. Please try again in a moment.',
    rejected: 'The reporting service did not accept the report. Please try again.',
    garbled: 'The reporting service gave an answer we did not understand. Please try again.',
  };

  const LEADS = {
    simulation: 'Simulation spotted',
    simulation_other: 'Simulation spotted',
    simulation_ended: 'Simulation spotted',
    triage: 'Reported',
    duplicate: 'Already reported',
    refused: 'Reported',
  };
  const TONES = {
    simulation: 'ok',
    simulation_other: 'ok',
    simulation_ended: 'ok',
    triage: 'ok',
    duplicate: 'info',
    refused: 'info',
  };

  const MAX_MESSAGE_CHARS = 500; // a server sentence longer than this is cut, never rendered as HTML
  const MAX_REPORTER_CHARS = 320; // RFC 5321: 64 + 1 + 255, with room to spare
  const DEFAULT_TIMEOUT_MS = 60000;

  // A view is what the pane shows: {state, tone: working|ok|info|warn|bad, lead, text, retry}.
  function view(state, tone, lead, text, retry) {
    return { state, tone, lead, text, retry: Boolean(retry) };
  }
  function failure(text) {
    return view('error', 'bad', 'Not reported yet', text, true);
  }

  // True when Outlook loaded this page as the manifest's FunctionFile, not as the task pane.
  function isFunctionFile(location) {
    return new URLSearchParams(location.search || '').get('role') === 'function-file';
  }

  // ./report resolved against the page, without the page's query (Outlook may add _host_Info).
  function reportUrl(location) {
    const url = new URL('report', location.href);
    url.search = '';
    url.hash = '';
    return url.toString();
  }

  // Base64 (as getAsFileAsync returns it) to the exact bytes. Throws on invalid input.
  function decodeBase64(text, atobFn) {
    const binary = (atobFn || root.atob)(String(text));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  // The header value for an address: ASCII as it is; an address with other characters (an
  // internationalised mailbox, which a header cannot carry raw) wholly percent-encoded as UTF-8
  // (encodeURIComponent, so its '@' becomes %40: a value with '@' is raw, one without is encoded).
  // Null when there is nothing usable, and the header is then left out.
  function reporterHeader(address) {
    if (typeof address !== 'string') return null;
    const trimmed = address.trim();
    if (!trimmed || trimmed.length > MAX_REPORTER_CHARS || /[\u0000-\u001f\u007f]/.test(trimmed)) {
      return null;
    }
    return /^[\u0020-\u007e]*$/.test(trimmed) ? trimmed : encodeURIComponent(trimmed);
  }

  // What this Outlook can do: null when reporting can go ahead, else the view to show instead.
  function unsupportedView(office, hostInfo) {
    const outlook = office && office.HostType ? office.HostType.Outlook : 'Outlook';
    if (!hostInfo || hostInfo.host !== outlook) {
      return view('not-outlook', 'info', 'Report phishing for Outlook', TEXT.notOutlook, false);
    }
    const mailbox = office.context && office.context.mailbox;
    const item = mailbox && mailbox.item;
    if (!item) return view('no-item', 'info', 'No message open', TEXT.noItem, false);
    const requirements = office.context.requirements;
    const has114 = requirements && typeof requirements.isSetSupported === 'function'
      ? requirements.isSetSupported('Mailbox', '1.14')
      : false;
    if (!has114 || typeof item.getAsFileAsync !== 'function') {
      return view('unsupported', 'warn', 'This Outlook cannot report', TEXT.unsupported,
                  false);
    }
    return null;
  }

  // The message as base64 EML, from Outlook's callback API.
  function messageAsBase64(office, item) {
    return new Promise((resolve, reject) => {
      item.getAsFileAsync((result) => {
        const failed = office.AsyncResultStatus ? office.AsyncResultStatus.Failed : 'failed';
        if (!result || result.status === failed || typeof result.value !== 'string') {
          reject(new Error((result && result.error && result.error.message) || 'no value'));
        } else {
          resolve(result.value);
        }
      });
    });
  }

  function serverSentence(value) {
    if (typeof value !== 'string') return '';
    const text = value.trim();
    return text.length > MAX_MESSAGE_CHARS ? text.slice(0, MAX_MESSAGE_CHARS - 1) + '…' : text;
  }

  // The view for the server's answer: status code and body text.
  function interpretResponse(status, bodyText) {
    let body = null;
    try {
      body = JSON.parse(bodyText);
    } catch (e) {
      body = null;
    }
    if (status === 200) {
      if (!body || typeof body !== 'object' || typeof body.outcome !== 'string') {
        return failure(TEXT.garbled);
      }
      const outcome = body.outcome;
      const known = Object.prototype.hasOwnProperty.call(LEADS, outcome);
      const text = serverSentence(body.message) || (known ? TEXT[outcome] : TEXT.accepted);
      return view(outcome, known ? TONES[outcome] : 'ok', known ? LEADS[outcome] : 'Reported',
                  text, false);
    }
    if (status === 413) return failure(TEXT.tooLarge);
    if (status === 429) return failure(TEXT.busy);
    if (status >= 500 || status < 400) return failure(TEXT.serverError);
    const said = body && body.error && typeof body.error === 'object'
      ? serverSentence(body.error.message)
      : '';
    return failure(said || TEXT.rejected);
  }

  // Reports the open message; resolves to the view to show and never rejects.
  // office: the Office namespace after onReady; fetchFn: window.fetch; location: the page's.
  // options: {hostInfo (from Office.onReady), timeoutMs, atob, AbortController}.
  async function reportMessage(office, fetchFn, location, options) {
    const opts = options || {};
    const blocked = unsupportedView(office, opts.hostInfo);
    if (blocked) return blocked;
    const mailbox = office.context.mailbox;

    let base64;
    try {
      base64 = await messageAsBase64(office, mailbox.item);
    } catch (e) {
      return failure(TEXT.copyFailed);
    }
    let bytes;
    try {
      bytes = decodeBase64(base64, opts.atob);
    } catch (e) {
      return failure(TEXT.unreadable);
    }

    const headers = { 'Content-Type': 'message/rfc822' };
    const reporter = reporterHeader(mailbox.userProfile && mailbox.userProfile.emailAddress);
    if (reporter !== null) headers['X-Phishdrill-Reporter'] = reporter;

    const Abort = opts.AbortController || root.AbortController;
    const abort = Abort ? new Abort() : null;
    const timer = abort ? setTimeout(() => abort.abort(), opts.timeoutMs || DEFAULT_TIMEOUT_MS) : null;
    try {
      const response = await fetchFn(reportUrl(location), {
        method: 'POST',
        headers,
        body: bytes,
        credentials: 'omit',
        cache: 'no-store',
        redirect: 'error',
        signal: abort ? abort.signal : undefined,
      });
      const bodyText = await response.text();
      return interpretResponse(response.status, bodyText);
    } catch (e) {
      return failure(abort && abort.signal.aborted ? TEXT.timeout : TEXT.network);
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  const api = {
    TEXT,
    isFunctionFile,
    reportUrl,
    decodeBase64,
    reporterHeader,
    unsupportedView,
    interpretResponse,
    reportMessage,
  };
  root.PhishdrillReport = api;

  // ---- The page: everything below touches the DOM. ----

  function render(doc, shown) {
    const status = doc.getElementById('status');
    const text = doc.getElementById('status-text');
    const retry = doc.getElementById('retry');
    status.className = 'status ' + shown.tone;
    text.textContent = '';
    if (shown.lead) {
      const lead = doc.createElement('strong');
      lead.className = 'lead';
      lead.textContent = shown.lead;
      text.appendChild(lead);
      text.appendChild(doc.createTextNode(' '));
    }
    text.appendChild(doc.createTextNode(shown.text));
    const hadFocus = doc.activeElement === retry;
    retry.hidden = !shown.retry;
    retry.disabled = !shown.retry;
    if (hadFocus && retry.hidden) doc.getElementById('title').focus();
    status.setAttribute('aria-busy', shown.tone === 'working' ? 'true' : 'false');
  }

  function start(win) {
    const doc = win.document;
    doc.documentElement.classList.add('js');
    if (isFunctionFile(win.location)) {
      // Loaded as the FunctionFile: Office.js wants onReady called; nothing else happens here.
      if (win.Office && typeof win.Office.onReady === 'function') win.Office.onReady(() => {});
      return;
    }
    const working = view('working', 'working', '', 'Sending this message to your security team…');
    const reload = () => win.location.reload();

    win.addEventListener('DOMContentLoaded', () => {
      const retry = doc.getElementById('retry');
      let hostInfo = null;
      let ready = false;
      let onRetry = null;
      const run = async () => {
        render(doc, working);
        render(doc, await reportMessage(win.Office, win.fetch.bind(win), win.location, { hostInfo }));
      };
      const cannotStart = () => {
        onRetry = reload;
        render(doc, failure(TEXT.noOffice));
      };
      retry.addEventListener('click', () => {
        if (!retry.disabled && onRetry) onRetry();
      });
      render(doc, working);
      if (!win.Office || typeof win.Office.onReady !== 'function') {
        cannotStart();
        return;
      }
      // Office.onReady resolves in a plain browser too (host null); if it never does, say so.
      win.setTimeout(() => {
        if (!ready) cannotStart();
      }, 20000);
      win.Office.onReady((info) => {
        if (ready) return;
        ready = true;
        hostInfo = info || {};
        onRetry = run;
        run();
      });
    });
  }

  if (typeof module === 'object' && module.exports) {
    module.exports = api;
  } else if (root.document) {
    start(root);
  }
})(typeof globalThis !== 'undefined' ? globalThis : this);
