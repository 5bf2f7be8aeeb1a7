/* django-recurrence builds <form> elements inside Wagtail's page form. Enter in one of their
   fields submitted that nested form (a GET to the editor's own URL) and lost unsaved input.
   Stop those submits; Enter commits the field's value instead. */
(function () {
    'use strict';

    function inWidget(element) {
        return Boolean(element && element.closest && element.closest('div.recurrence-widget'));
    }

    document.addEventListener('submit', function (event) {
        if (inWidget(event.target)) {
            event.preventDefault();
            event.stopPropagation();
        }
    }, true);

    document.addEventListener('keydown', function (event) {
        var target = event.target;
        if (event.key === 'Enter' && target.tagName === 'INPUT' && inWidget(target)) {
            event.preventDefault();
            target.dispatchEvent(new Event('change', { bubbles: true }));
        }
    }, true);
})();
