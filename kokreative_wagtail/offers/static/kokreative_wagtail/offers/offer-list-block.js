/* The offer-list block in the editor shows only the fields of the chosen mode ("Which offers").
   The other mode's fields stay in the form, hidden while empty, so switching the mode loses
   nothing. A filled field of the other mode stays visible with the note the validation gives
   on saving (sent by the server, in the editor's language), so the editor can empty it.
   Hidden fields carry the `hidden` attribute: out of sight, out of the tab order and out of
   the accessibility tree; the visible ones keep Wagtail's labels and keyboard handling. */
(function () {
    'use strict';

    var streamField = window.wagtailStreamField;
    if (!window.telepath || !streamField || !streamField.blocks) {
        return;
    }

    function elementOf(child) {
        return (child.container && child.container[0]) || child.element || null;
    }

    /* The wrapper Wagtail puts around a child block: its label, help text and form field. */
    function wrapperOf(child, name) {
        var element = elementOf(child);
        if (!element) {
            return null;
        }
        var selector = '[data-contentpath="' + name + '"], [data-structblock-child="' + name + '"]';
        return element.closest(selector) || element;
    }

    function isFilled(child) {
        var value = child.getValue();
        if (Array.isArray(value)) {
            return value.some(function (item) {
                return item !== null && item !== undefined && item !== '';
            });
        }
        return value !== null && value !== undefined && value !== '';
    }

    /* The note goes into the field's help text, which the input names in aria-describedby. */
    function addNote(child, wrapper, id, text) {
        // Wagtail's warning help block, its icon hidden from screen readers
        var note = document.createElement('div');
        note.className = 'help-block help-warning kk-offer-list__mode-note';
        note.id = id;
        note.hidden = true;
        note.innerHTML =
            '<svg class="icon icon-warning" aria-hidden="true"><use href="#icon-warning"></use></svg>';
        note.appendChild(document.createTextNode(text));
        var help = child.field && child.field.querySelector('[data-field-help]');
        if (help) {
            help.appendChild(note);
        } else {
            var label = wrapper.querySelector(':scope > label');
            wrapper.insertBefore(note, label ? label.nextSibling : wrapper.firstChild);
        }
        return note;
    }

    /* After saving, the same text is the field's error message: the note would repeat it. */
    function showsAsError(field) {
        var text = field.note.textContent;
        return Boolean(text) && field.wrapper.textContent.split(text).length > 2;
    }

    function setUp(block, prefix, meta) {
        var modeChild = block.childBlocks && block.childBlocks.mode;
        var root = block.container && block.container[0];
        if (!modeChild || !root) {
            return;
        }
        var modes = meta.modeFields || {};
        var notes = meta.modeNotes || {};
        var fields = Object.keys(modes)
            .map(function (name) {
                var child = block.childBlocks[name];
                var wrapper = child && wrapperOf(child, name);
                if (!wrapper) {
                    return null;
                }
                var id = prefix + '-' + name + '-modenote';
                return {
                    child: child,
                    mode: modes[name],
                    wrapper: wrapper,
                    note: addNote(child, wrapper, id, notes[name] || ''),
                };
            })
            .filter(Boolean);

        function update() {
            var mode = modeChild.getValue();
            fields.forEach(function (field) {
                var used = field.mode === mode;
                var leftOver = !used && isFilled(field.child);
                field.wrapper.hidden = !used && !leftOver;
                field.wrapper.classList.toggle('kk-offer-list__unused', leftOver);
                field.note.hidden = !leftOver || showsAsError(field);
            });
        }

        // the mode's change, and an emptied left-over field, bubble up to the block
        root.addEventListener('change', update);
        // errors from saving arrive after the form is built (or with it, depending on the version)
        var setError = block.setError;
        block.setError = function () {
            var result = setError.apply(this, arguments);
            update();
            return result;
        };
        update();
    }

    class OfferListBlockDefinition extends streamField.blocks.StructBlockDefinition {
        render(placeholder, prefix, ...rest) {
            var block = super.render(placeholder, prefix, ...rest);
            setUp(block, prefix, this.meta || {});
            return block;
        }
    }

    window.telepath.register('kokreative_wagtail.offers.OfferListBlock', OfferListBlockDefinition);
})();
