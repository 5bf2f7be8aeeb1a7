/* The event's repeat editor: show the controls of the chosen frequency, add date inputs.
   Everything is delegated from the document, so editors rendered later work as well. */
(function () {
    'use strict';

    function update(editor) {
        var select = editor.querySelector('[data-kk-recurrence-freq]');
        var chosen = select.value || 'NONE';
        editor.querySelectorAll('[data-kk-recurrence-show]').forEach(function (group) {
            var shown = group.getAttribute('data-kk-recurrence-show').split(' ');
            group.hidden = shown.indexOf(chosen) === -1;
        });
    }

    function addDate(button) {
        var list = button.parentElement.querySelector('[data-kk-recurrence-list]');
        var last = list.lastElementChild;
        var item = last.cloneNode(true);
        var number = list.children.length + 1;
        var input = item.querySelector('input');
        var label = item.querySelector('label');
        var id = input.id.replace(/-\d+$/, '-' + number);
        input.id = id;
        input.value = '';
        label.htmlFor = id;
        label.textContent = label.textContent.replace(/\d+\s*$/, String(number));
        list.appendChild(item);
        input.focus();
    }

    function init(root) {
        root.querySelectorAll('[data-kk-recurrence]').forEach(function (editor) {
            if (editor.dataset.kkRecurrenceReady) { return; }
            editor.dataset.kkRecurrenceReady = 'true';
            editor.querySelectorAll('[data-kk-recurrence-add]').forEach(function (button) {
                button.hidden = false;
            });
            update(editor);
        });
    }

    document.addEventListener('change', function (event) {
        if (event.target.matches && event.target.matches('[data-kk-recurrence-freq]')) {
            update(event.target.closest('[data-kk-recurrence]'));
        }
    });
    document.addEventListener('click', function (event) {
        var button = event.target.closest && event.target.closest('[data-kk-recurrence-add]');
        if (button) {
            event.preventDefault();
            addDate(button);
        }
    });
    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', function () { init(document); });
    } else {
        init(document);
    }
})();
