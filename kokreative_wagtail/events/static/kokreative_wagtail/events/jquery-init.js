/* django-recurrence's widget loads Django admin's jquery.init.js, which replaces window.django
   and with it Wagtail's translations (django.gettext): the sidebar and the editor's buttons fell
   back to English. This keeps the object and only adds the widget's own jQuery to it. */
"use strict";
window.django = window.django || {};
window.django.jQuery = jQuery.noConflict(true);
