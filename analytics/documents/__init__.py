"""Documents: the Word report, the meeting brief, Excel exports and templates."""
