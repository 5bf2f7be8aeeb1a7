"""Events and series (in progress): ``occurrences`` expands recurrence rules in a window."""
