/*
 * Consent banner and settings dialog: progressive enhancement only.
 *
 * Without this script every decision is a plain form POST and "Settings" / "Cookie settings"
 * are links to the settings page. With it, those open the settings <dialog> as a modal
 * (showModal: focus moves in, Escape closes, the page behind is inert) and focus returns to
 * the element that opened it. Closing the dialog records nothing: it is no consent.
 *
 * The banner goes first: a site places the tag at the end of <body>, so this script (loaded
 * without "defer", right after the banner) moves the banner to the start of <body> before the
 * page is shown. There it is the first thing the keyboard reaches and, being part of the page
 * rather than laid over it, never hides a focused element. A banner the site already placed
 * before the page's <main> stays where it is.
 */
(function () {
  "use strict";

  var FOLLOWING = 4; // Node.DOCUMENT_POSITION_FOLLOWING

  function bannerFirst() {
    var banner = document.getElementById("kk-consent-banner");
    var body = document.body;
    if (!banner || !body) {
      return;
    }
    // Before <main>, or (a page without one) before every focusable element but skip links.
    var next =
      document.querySelector("main, [role=main]") ||
      document.querySelector(
        'a[href]:not([href^="#"]), button, input, select, textarea, [tabindex]'
      );
    var early = !next || Boolean(banner.compareDocumentPosition(next) & FOLLOWING);
    if (!early) {
      body.insertBefore(banner, body.firstChild);
    }
  }

  bannerFirst();

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }

  function enhance() {
    var dialog = document.getElementById("kk-consent-dialog");
    if (!dialog || typeof dialog.showModal !== "function") {
      return; // no dialog on this page, or a browser without <dialog>: the links keep working
    }
    var opener = null;

    // Swap the no-JS links of the banner for real buttons.
    document.querySelectorAll(".kk-consent-nojs").forEach(function (link) {
      link.hidden = true;
    });
    document.querySelectorAll(".kk-consent-js").forEach(function (button) {
      button.hidden = false;
    });

    function open(event) {
      if (event) {
        event.preventDefault();
        opener = event.currentTarget;
      }
      if (dialog.open) {
        return;
      }
      dialog.showModal();
      var title = document.getElementById("kk-consent-dialog-title");
      if (title) {
        title.focus();
      }
    }

    document.querySelectorAll("[data-kk-consent-open]").forEach(function (element) {
      if (element.tagName === "A") {
        element.setAttribute("aria-haspopup", "dialog");
      }
      element.addEventListener("click", open);
    });

    dialog.querySelectorAll("[data-kk-consent-close]").forEach(function (button) {
      button.addEventListener("click", function () {
        dialog.close();
      });
    });

    dialog.addEventListener("close", function () {
      if (opener && document.contains(opener) && !opener.hidden) {
        opener.focus();
      }
      opener = null;
    });
  }
})();
