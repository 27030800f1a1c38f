#!/bin/sh
# html_check.sh - check what the instructor's HTML report shows in a real browser.
#
# Usage: tests/integration/html_check.sh REPORT.html [EXPECTATION...]
#
# Loads REPORT.html in headless Chromium (a throw-away profile, every host
# name unresolvable, so nothing reaches the network) and checks the page as
# it is after its script ran. Always checked, with no expectation given:
#   - the file references nothing outside itself (no http(s)://, src=, <link>,
#     url(), @import) and declares lang="es" or lang="en";
#   - the score table has the same rows in the HTML as after the script, and
#     every column header has a data-key and a sort button;
#   - each chart (svg.chart) has a <title> and as many bars as its data-bars;
#   - #sort=-total and #sort=student sort the rows (see sorted= below).
# Expectations (any number, any order):
#   rows=N           the score table has N student rows
#   charts=N         N inline SVG charts (two per lesson)
#   bars=K:N         the K-th chart (from 1, in page order) has N bars
#   details=N        N students' expandable <details> (those with problems)
#   sorted=KEY       REPORT.html#sort=KEY (KEY: student, a lesson id such as
#                    lesson03, total, pct; -KEY descending) puts the rows in
#                    that column's order, empty cells last, and sets aria-sort
#                    on that header alone. Names are compared the way
#                    localeCompare(..., 'es', {numeric: true}) does, ignoring
#                    case and accents, with ñ after n.
#   first=KEY:NAME   after #sort=KEY the first row is the student NAME
#   last=KEY:NAME    after #sort=KEY the last row is the student NAME
#   text=STRING      the page's text contains STRING
#   notext=STRING    the page's text does not contain STRING
# Example:
#   tests/integration/html_check.sh out/report.html rows=3 details=2 \
#       sorted=lesson03 'first=-total:Ana García' charts=4
#
# Output: one "  ok   ..." or "  FAIL ..." line per check (as lib.sh prints
# them), then "html_check: N checks, M failed".
# Exit status: 0 every check passed; 1 some check failed; 2 usage, or the
# page could not be loaded; 77 no Chromium (skip).
# Environment: CHROMIUM, the browser to run (default: chromium on PATH);
# HTML_CHECK_WAIT, seconds to wait for it to appear on PATH (default 0).
# Needs python3; the work is done by html_check.py, next to this script.
case $0 in */*) here=${0%/*} ;; *) here=. ;; esac
exec python3 "$here/html_check.py" "$@"
