// The badge next to the subject of the message view, and the report under the message header on click.
/* global rcmail, CaliopHeaders */
(function () {
  function show() {
    var env = rcmail.env.caliop;
    if (!env || !window.CaliopHeaders) {
      return;
    }
    var view = CaliopHeaders.assess({
      privacy: env.privacy, path: env.path, hop: env.hop, policy: null, truncated: false, counts: env.counts,
    }, { trustedStampers: env.stampers || [] });
    var subject = document.querySelector('#message-header .subject') || document.querySelector('.subject');
    if (!subject) {
      return;
    }
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'caliop-button';
    button.setAttribute('aria-expanded', 'false');
    button.title = view.badge.label + ': show the details';
    button.appendChild(CaliopHeaders.renderBadge(document, view));
    var report = CaliopHeaders.renderReport(document, view);
    report.hidden = true;
    report.classList.add('caliop-roundcube-report');
    button.addEventListener('click', function () {
      report.hidden = !report.hidden;
      button.setAttribute('aria-expanded', String(!report.hidden));
    });
    subject.insertBefore(button, subject.firstChild);
    var header = document.getElementById('message-header') || subject.parentNode;
    header.parentNode.insertBefore(report, header.nextSibling);
  }

  if (window.rcmail) {
    rcmail.addEventListener('init', show);
  }
})();
