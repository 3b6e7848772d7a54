#!/bin/bash
# The table on a terminal fits its width, cutting titles and names but never IDs or versions; pipes keep whole lines.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$TESTS_DIR/lib/scan-fixture.sh"

if ! "$PYTHON" -c "import pty, fcntl, termios" 2>/dev/null; then
	test_skip 'the table fits the terminal' 'python3 has no pty module'
	test_done
	exit
fi

make_scan_image >/dev/null || { say_fail 'making the test image'; test_done; exit; }
write_scan_osv_records

# on_tty COLUMNS COMMAND...: run COMMAND with a terminal of that many columns (0: one that does
# not say) on its standard output, and print what it wrote without colours or carriage returns.
on_tty() {
	"$PYTHON" - "$@" <<'PY'
import fcntl, os, pty, re, struct, sys, termios
cols = int(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", 24, cols, 0, 0))
    os.execvp(sys.argv[2], sys.argv[2:])
out = b""
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
_, status = os.waitpid(pid, 0)
out = re.sub(rb"\x1b\[[0-9;]*m", b"", out.replace(b"\r\n", b"\n"))
sys.stdout.buffer.write(out)
sys.exit(os.waitstatus_to_exitcode(status))
PY
}

# longest FILE: the most characters on any line of FILE.
longest() {
	"$PYTHON" -c "import sys; print(max(len(l.rstrip('\n')) for l in open(sys.argv[1], encoding='utf-8')))" "$1"
}

# rows FILE TITLE: the lines of the table whose title row starts with TITLE, that row included.
rows() { sed -n "/^$2 /,/^\$/p" "$1"; }

IDS="CVE-2021-42740 CVE-2023-45853 CVE-2021-3807 CVE-2023-4911 CVE-2021-23337 CVE-2099-0001 GHSA-2099-low0-0001 OSV-2099-0001"
VERSIONS="1.7.2 1:1.2.13.dfsg-1 5.0.0 2.36-9+deb12u1 2.36-9+deb12u3 2.36-9+deb12u7 4.17.20 4.17.21 4.17.22"

# every_word FILE WORDS...: each word appears in FILE whole, with blanks or line ends around it.
every_word() {
	file=$1
	shift
	for word in "$@"; do
		grep -q -e "^$word " -e " $word " -e " $word\$" "$file" || { echo "missing: $word"; return 1; }
	done
}

test_expect_success 'set up: a database and the table a pipe gets' '
	"$CUSTOMS" db build --output scan.db osv >out &&
	"$CUSTOMS" scan -q --db scan.db oci:img >pipe.txt &&
	test "$(longest pipe.txt)" -gt 80
'

test_expect_success 'at 80 columns no line is wider, titles are cut and IDs and versions stay whole' '
	on_tty 80 "$CUSTOMS" scan -q --db scan.db oci:img >tty80.txt </dev/null &&
	test "$(longest tty80.txt)" -le 80 &&
	grep -q "^SEVERITY  *ID  *PACKAGE  *INSTALLED  *FIXED  *TITLE$" tty80.txt &&
	grep -q "\.\.\.$" tty80.txt &&
	every_word tty80.txt $IDS $VERSIONS unfixed &&
	test "$(sed -n "/^SEVERITY/,/^\$/p" tty80.txt | wc -l)" = 10 &&
	test "$(tail -n 1 tty80.txt)" = "8 vulnerabilities: 2 critical, 3 high, 1 medium, 1 low, 1 unknown"
'

test_expect_success 'at 200 columns the table is the one a pipe gets' '
	NO_COLOR=1 on_tty 200 "$CUSTOMS" scan -q --db scan.db oci:img >tty200.txt </dev/null &&
	test "$(longest tty200.txt)" -le 200 &&
	diff -u pipe.txt tty200.txt
'

test_expect_success 'too narrow for the IDs: lines wrap rather than lose one' '
	on_tty 40 "$CUSTOMS" scan -q --db scan.db oci:img >tty40.txt </dev/null &&
	test "$(longest tty40.txt)" -gt 40 &&
	every_word tty40.txt $IDS $VERSIONS &&
	grep -q "^SEVERITY  *ID  *PACKAGE  *INSTALLED  *FIXED  *TITLE$" tty40.txt
'

test_expect_success 'COLUMNS sizes a terminal that does not say its width' '
	NO_COLOR=1 COLUMNS=90 on_tty 0 "$CUSTOMS" scan -q --db scan.db oci:img >tty-columns.txt </dev/null &&
	test "$(longest tty-columns.txt)" -le 90 &&
	grep -q "\.\.\.$" tty-columns.txt &&
	every_word tty-columns.txt $IDS &&
	NO_COLOR=1 COLUMNS=junk on_tty 0 "$CUSTOMS" scan -q --db scan.db oci:img >tty-junk.txt </dev/null &&
	diff -u pipe.txt tty-junk.txt
'

test_expect_success 'a pipe keeps whole lines whatever COLUMNS says' '
	COLUMNS=60 "$CUSTOMS" scan -q --db scan.db oci:img >pipe60.txt &&
	diff -u pipe.txt pipe60.txt &&
	COLUMNS=60 "$CUSTOMS" scan -q --db scan.db -o table=file60.txt oci:img &&
	diff -u pipe.txt file60.txt
'

test_expect_success 'the package table of an SBOM fits too, versions whole' '
	"$CUSTOMS" sbom -q oci:img >sbom-pipe.txt &&
	NO_COLOR=1 on_tty 200 "$CUSTOMS" sbom -q oci:img >sbom200.txt </dev/null &&
	diff -u sbom-pipe.txt sbom200.txt &&
	rows sbom-pipe.txt NAME >table-pipe.txt &&
	width=$(($(longest table-pipe.txt) - 8)) &&
	NO_COLOR=1 on_tty $width "$CUSTOMS" sbom -q oci:img >sbom-narrow.txt </dev/null &&
	rows sbom-narrow.txt NAME >table-narrow.txt &&
	test "$(longest table-narrow.txt)" -le $width &&
	grep -q "\.\.\." table-narrow.txt &&
	grep -q "^NAME  *VERSION  *TYPE  *SOURCE  *LAYER$" sbom-narrow.txt &&
	every_word sbom-narrow.txt 2.36-9+deb12u1 1:1.2.13.dfsg-1 4.17.20 1.7.2 &&
	test "$(grep -c "" sbom-narrow.txt)" = "$(grep -c "" sbom-pipe.txt)"
'

test_done
