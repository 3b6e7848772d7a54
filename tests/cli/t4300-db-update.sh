#!/bin/bash
# customs db update: downloads from a real HTTP server on 127.0.0.1 with faults; the old database survives them all.
. "$(dirname "$0")/../lib/test-lib.sh"

if ! command -v python3 >/dev/null 2>&1; then
	test_skip 'db update' 'python3 is missing (tests/setup-tools.sh installs it)'
	test_done
	exit
fi

# Requests go straight to 127.0.0.1, whatever proxy the machine has.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
unset CUSTOMS_DB CUSTOMS_DB_URL CUSTOMS_DB_PUBKEY SSL_CERT_FILE
# Retries wait 10 ms, 20 ms... instead of seconds.
export CUSTOMS_RETRY_BASE_MS=10
SERVER_SCRIPT=$TESTS_DIR/lib/http-fault-server.py
SERVER_PIDS=
trap 'for p in $SERVER_PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$TRASH"' EXIT
trap 'exit 130' INT TERM

# start_server NAME [ARGS...]: serve root/ on an ephemeral port; the port lands in NAME.port.
start_server() {
	name=$1
	shift
	python3 "$SERVER_SCRIPT" --root root --port-file "$name.port" --log "$name.log" "$@" >/dev/null 2>"$name.err" &
	SERVER_PIDS="$SERVER_PIDS $!"
	for _ in $(seq 50); do
		[ -s "$name.port" ] && return 0
		sleep 0.1
	done
	echo "the $name server did not start:" >&2
	cat "$name.err" >&2
	return 1
}

# old_db: put the old database in place; unchanged: it is still byte-identical and nothing else is left.
old_db() {
	mkdir -p db && rm -f db/* db/.[!.]* 2>/dev/null
	cp v1.db db/customs.db
}
unchanged() {
	cmp v1.db db/customs.db || return 1
	left=$(ls -A db | grep -v -x -e customs.db -e customs.db.etag -e customs.db.sig)
	if [ -n "$left" ]; then
		echo "left behind in db/: $left" >&2
		return 1
	fi
}
requests() { grep -c '' log 2>/dev/null || echo 0; }

mkadv() {
	cat <<JSON
{"id": "$1", "modified": "2024-03-01T00:00:00Z", "summary": "update test advisory",
 "affected": [{"package": {"ecosystem": "npm", "name": "$2"},
   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.3.0"}]}]}]}
JSON
}

test_expect_success 'set up databases, keys and the server' '
	mkdir -p root/signed root/badsig root/nosig root/npm &&
	mkadv GHSA-upd-0001 left-pad >a1.json &&
	mkadv GHSA-upd-0002 right-pad >a2.json &&
	SOURCE_DATE_EPOCH=1700000000 "$CUSTOMS" db build --output v1.db a1.json >/dev/null &&
	SOURCE_DATE_EPOCH=1700100000 "$CUSTOMS" db build --output root/v2.db a1.json a2.json >/dev/null &&
	! cmp -s v1.db root/v2.db &&
	cp root/v2.db root/bad.db &&
	size=$(wc -c <root/bad.db) &&
	printf "\\377" | dd of=root/bad.db bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null &&
	! cmp -s root/v2.db root/bad.db &&
	printf "<html>not a database</html>\\n" >root/page.html &&
	cp root/v2.db root/signed/db && cp root/v2.db root/badsig/db && cp root/v2.db root/nosig/db &&
	if command -v openssl >/dev/null 2>&1; then
		openssl ecparam -name prime256v1 -genkey -noout -out key.pem 2>/dev/null &&
		openssl ec -in key.pem -pubout -out pub.pem 2>/dev/null &&
		openssl ecparam -name prime256v1 -genkey -noout -out other.pem 2>/dev/null &&
		"$CUSTOMS" db sign --key key.pem root/signed/db >/dev/null &&
		"$CUSTOMS" db sign --key other.pem root/badsig/db >/dev/null
	fi
'
# The servers start in this shell, not in a test's subshell, so the EXIT trap knows their pids.
if start_server http; then
	say_ok 'start the http server'
else
	say_fail 'start the http server'
fi
ln -s http.log log
PORT=$(cat http.port 2>/dev/null)
URL=http://127.0.0.1:$PORT

test_expect_success 'no url configured: exit 2 and one line' '
	old_db &&
	test_expect_code 2 "$CUSTOMS" db update --output db/customs.db 2>err &&
	one_line_error err && grep -q "no database url configured" err && unchanged
'

test_expect_success '--help documents the options and exit codes' '
	"$CUSTOMS" db update --help >out &&
	grep -q -- "--osv-zip" out && grep -q -- "--offline" out && grep -q "Exit codes" out &&
	grep -q "CUSTOMS_DB_URL" out
'

test_expect_success 'usage errors exit 2' '
	test_expect_code 2 "$CUSTOMS" db update --url "$URL/ok/v2.db" --bogus 2>err && one_line_error err &&
	test_expect_code 2 "$CUSTOMS" db update --url "$URL/ok/v2.db" --timeout 0 2>err && one_line_error err &&
	test_expect_code 2 "$CUSTOMS" db update --url "$URL/ok/v2.db" --retries x 2>err && one_line_error err &&
	test_expect_code 2 "$CUSTOMS" db update --url "$URL/ok/v2.db" --osv-zip "$URL/ok/x.zip" 2>err &&
	test_expect_code 2 "$CUSTOMS" db update --url "$URL/ok/v2.db" --pubkey missing.pem 2>err &&
	one_line_error err &&
	test_expect_code 2 "$CUSTOMS" db update --url "$URL/ok/v2.db" --output - 2>err && one_line_error err &&
	test_expect_code 2 "$CUSTOMS" db update --url "$URL/ok/v2.db" --output /dev/null 2>err &&
	one_line_error err &&
	test_expect_code 2 "$CUSTOMS" db update --url "ftp://127.0.0.1:$PORT/v2.db" --output db/customs.db 2>err &&
	one_line_error err && grep -q "only http and https" err
'

test_expect_success 'a download replaces the database and keeps the etag' '
	old_db &&
	"$CUSTOMS" db update --url "$URL/ok/v2.db" --output db/customs.db >out 2>err &&
	cmp root/v2.db db/customs.db &&
	grep -q "^updated from .*ok/v2.db" out && test ! -s err &&
	"$CUSTOMS" db info db/customs.db | grep -q "advisories: 2" &&
	test "$(head -n 1 db/customs.db.etag)" = "url sha256:$(printf %s "$URL/ok/v2.db" | sha256sum | cut -d" " -f1)" &&
	test "$(ls -A db | sort | tr "\n" " ")" = "customs.db customs.db.etag "
'

test_expect_success 'the second run sends If-None-Match, gets 304 and says up to date' '
	before=$(requests) &&
	"$CUSTOMS" db update --url "$URL/ok/v2.db" --output db/customs.db >out 2>err &&
	grep -q "database is up to date" out && test ! -s err &&
	test $(requests) -eq $((before + 1)) &&
	etag=$(sed -n 2p db/customs.db.etag) &&
	test "$(tail -n 1 log)" = "GET /ok/v2.db $etag" &&
	cmp root/v2.db db/customs.db &&
	"$CUSTOMS" db update --quiet --url "$URL/ok/v2.db" --output db/customs.db >out && test ! -s out
'

test_expect_success 'the etag goes only to the url it came from' '
	"$CUSTOMS" db update --quiet --url "$URL/redirect-1/v2.db" --output db/customs.db &&
	test "$(grep "GET /redirect-1/v2.db" log | tail -n 1)" = "GET /redirect-1/v2.db -"
'

test_expect_success 'a damaged local database is downloaded again, not kept on a 304' '
	printf "\\377" | dd of=db/customs.db bs=1 seek=100 conv=notrunc 2>/dev/null &&
	"$CUSTOMS" db update --url "$URL/ok/v2.db" --output db/customs.db >out &&
	grep -q "^updated" out && test "$(tail -n 1 log)" = "GET /ok/v2.db -" &&
	cmp root/v2.db db/customs.db
'

test_expect_success 'CUSTOMS_DB_URL lists mirrors and CUSTOMS_DB names the output' '
	old_db &&
	CUSTOMS_DB=$PWD/db/customs.db CUSTOMS_DB_URL="$URL/404/v2.db
	  $URL/ok/v2.db" "$CUSTOMS" db update >out 2>err &&
	cmp root/v2.db db/customs.db &&
	one_line_error err && grep -q "warning: .*404/v2.db.*http 404.*trying the next url" err
'

test_expect_success 'the default output is under XDG_CACHE_HOME, else HOME/.cache' '
	XDG_CACHE_HOME=$PWD/xdg "$CUSTOMS" db update --quiet --url "$URL/ok/v2.db" &&
	cmp root/v2.db xdg/customs/db/customs.db &&
	(unset XDG_CACHE_HOME; HOME=$PWD/home "$CUSTOMS" db update --quiet --url "$URL/ok/v2.db") &&
	cmp root/v2.db home/.cache/customs/db/customs.db
'

# fault NAME EXPECTED-CODE MESSAGE-REGEX ARGS...: the update fails as expected and harms nothing.
fault() {
	desc=$1 code=$2 msg=$3
	shift 3
	test_expect_success "$desc: exit $code, one line, old database kept" "
		old_db &&
		test_expect_code $code \"\$CUSTOMS\" db update --output db/customs.db $* >out 2>err &&
		one_line_error err && grep -q -e '$msg' err && unchanged && test ! -s out
	"
}
fault 'http 500 on every attempt' 3 'http 500 .*(4 attempts)' --url "$URL/500/v2.db"
fault 'a body cut short' 3 'transfer closed.*(3 attempts)' --retries 2 --url "$URL/truncate/v2.db"
fault 'a server that stalls past --timeout' 3 'timed out' --timeout 1 --retries 1 --url "$URL/slow/v2.db"
fault 'a bad checksum' 2 "checksum mismatch" --url "$URL/ok/bad.db"
fault 'not a database' 2 "is not a customs database" --url "$URL/ok/page.html"
fault 'http 404' 3 'http 404' --url "$URL/404/v2.db"
fault 'a body over --max-size' 2 'larger than the limit of 100 bytes' --max-size 100 --url "$URL/ok/v2.db"
fault 'a 429 asking for an hour' 3 'asks to wait 3600 seconds' --url "$URL/429long/v2.db"
fault 'a redirect to file://' 3 'redirects to a url that is not allowed' --url "$URL/redirect-file/v2.db"
fault 'more than 5 redirects' 3 'redirects' --url "$URL/redirect-6/v2.db"
fault 'a refused connection' 3 'failed to connect.*(2 attempts)' --retries 1 --url "http://127.0.0.1:1/v2.db"

test_expect_success 'the damaged download is named by its url, not a temporary file' '
	old_db &&
	test_expect_code 2 "$CUSTOMS" db update --output db/customs.db --url "$URL/ok/bad.db" 2>err &&
	grep -q "'"'"'$URL/ok/bad.db'"'"'" err && ! grep -q "tmp-" err
'

test_expect_success 'credentials in a url are not printed' '
	old_db &&
	test_expect_code 3 "$CUSTOMS" db update --output db/customs.db --url "http://user:secret@127.0.0.1:$PORT/404/v2.db" 2>err &&
	! grep -q secret err && grep -q "http://\\*\\*\\*@127.0.0.1" err &&
	"$CUSTOMS" db update --quiet --output db/customs.db --url "http://user:secret@127.0.0.1:$PORT/ok/v2.db" &&
	test -s db/customs.db.etag && ! grep -q secret db/customs.db.etag
'

test_expect_success 'retries recover from two 500s' '
	old_db &&
	"$CUSTOMS" db update --output db/customs.db --url "$URL/fail-2/v2.db" >out &&
	cmp root/v2.db db/customs.db &&
	test $(grep -c "GET /fail-2/v2.db" log) -eq 3
'

test_expect_success 'the retries stop after --retries' '
	old_db &&
	test_expect_code 3 "$CUSTOMS" db update --output db/customs.db --retries 1 --url "$URL/fail-5/v2.db" 2>err &&
	test $(grep -c "GET /fail-5/v2.db" log) -eq 2 && unchanged
'

test_expect_success 'a 429 waits for Retry-After, then succeeds' '
	old_db &&
	start=$(date +%s%N) &&
	"$CUSTOMS" db update --output db/customs.db --url "$URL/429-1/v2.db" >out &&
	elapsed=$(( ($(date +%s%N) - start) / 1000000 )) &&
	test "$elapsed" -ge 900 &&
	cmp root/v2.db db/customs.db && test $(grep -c "GET /429-1/v2.db" log) -eq 2
'

test_expect_success 'redirects are followed' '
	old_db &&
	"$CUSTOMS" db update --output db/customs.db --url "$URL/redirect-3/v2.db" >out &&
	cmp root/v2.db db/customs.db
'

test_expect_success 'a failed url falls back to the next one' '
	old_db &&
	"$CUSTOMS" db update --output db/customs.db --url "$URL/500/v2.db" --url "$URL/ok/bad.db" \
		--url "$URL/ok/v2.db" >out 2>err &&
	cmp root/v2.db db/customs.db && grep -q "^updated from .*/ok/v2.db" out &&
	test $(grep -c "warning:.*trying the next url" err) -eq 2
'

test_expect_success 'when every url fails the worst failure gives the exit code' '
	old_db &&
	test_expect_code 2 "$CUSTOMS" db update --output db/customs.db --url "$URL/ok/bad.db" \
		--url "$URL/500/v2.db" 2>err &&
	test $(grep -c "" err) -eq 2 && grep -q "^customs: cannot download .*500" err && unchanged &&
	test_expect_code 3 "$CUSTOMS" db update --output db/customs.db --url "$URL/404/v2.db" \
		--url "$URL/500/v2.db" 2>err && unchanged
'

test_expect_success '--offline makes no request and describes the database' '
	old_db &&
	before=$(requests) &&
	"$CUSTOMS" db update --offline --url "$URL/ok/v2.db" --output db/customs.db >out &&
	grep -q "^offline: database .*1 advisories" out &&
	CUSTOMS_DB_URL="$URL/ok/v2.db" CUSTOMS_DB=$PWD/db/customs.db "$CUSTOMS" db update --offline >out &&
	test $(requests) -eq "$before" && unchanged
'

test_expect_success '--offline without a database exits 3, with a damaged one 2' '
	before=$(requests) &&
	test_expect_code 3 "$CUSTOMS" db update --offline --url "$URL/ok/v2.db" --output nothing/here.db 2>err &&
	one_line_error err &&
	cp root/bad.db damaged.db &&
	test_expect_code 2 "$CUSTOMS" db update --offline --output damaged.db 2>err &&
	one_line_error err && grep -q "checksum mismatch" err &&
	test $(requests) -eq "$before"
'

if command -v openssl >/dev/null 2>&1; then
	test_expect_success 'a signed database verifies and its signature is kept' '
		old_db &&
		"$CUSTOMS" db update --output db/customs.db --pubkey pub.pem --url "$URL/ok/signed/db" >out &&
		grep -q "signature ok" out &&
		cmp root/v2.db db/customs.db && cmp root/signed/db.sig db/customs.db.sig &&
		"$CUSTOMS" db verify --pubkey pub.pem db/customs.db >/dev/null &&
		"$CUSTOMS" db update --offline --output db/customs.db --pubkey pub.pem >out &&
		grep -q "signature ok" out
	'

	test_expect_success 'CUSTOMS_DB_PUBKEY: a signature by another key fails with exit 4' '
		old_db &&
		CUSTOMS_DB_PUBKEY=$PWD/pub.pem test_expect_code 4 "$CUSTOMS" db update --output db/customs.db \
			--url "$URL/ok/badsig/db" 2>err &&
		one_line_error err && grep -q "ok/badsig/db" err && ! grep -q "tmp-" err && unchanged
	'

	test_expect_success 'a missing signature fails with exit 4' '
		old_db &&
		test_expect_code 4 "$CUSTOMS" db update --output db/customs.db --pubkey pub.pem \
			--url "$URL/ok/nosig/db" 2>err &&
		one_line_error err && grep -q "no signature" err && unchanged
	'

	test_expect_success 'a bad signature falls back to a mirror with a good one' '
		old_db &&
		"$CUSTOMS" db update --output db/customs.db --pubkey pub.pem \
			--url "$URL/ok/badsig/db" --url "$URL/ok/signed/db" >out 2>err &&
		cmp root/v2.db db/customs.db && cmp root/signed/db.sig db/customs.db.sig
	'

	test_expect_success '--offline with a key refuses a database whose signature fails' '
		old_db && cp root/badsig/db.sig db/customs.db.sig &&
		test_expect_code 4 "$CUSTOMS" db update --offline --output db/customs.db --pubkey pub.pem 2>err &&
		one_line_error err
	'

	test_expect_success 'an unsigned update removes the signature of the old database' '
		old_db && cp root/badsig/db.sig db/customs.db.sig &&
		"$CUSTOMS" db update --quiet --output db/customs.db --url "$URL/ok/v2.db" &&
		cmp root/v2.db db/customs.db && test ! -e db/customs.db.sig
	'
else
	test_skip 'signature checks on update' 'openssl is missing (tests/setup-tools.sh installs it)'
fi

# script(1) gives the command a terminal, where the progress bar belongs.
if command -v script >/dev/null 2>&1; then
	test_expect_success 'a progress bar on a terminal, none with --quiet or without a terminal' '
		head -c 3000000 /dev/zero >root/big.bin &&
		script -qec "\"$CUSTOMS\" db update --output big.db --url $URL/ok/big.bin" /dev/null >tty.out;
		grep -q "big.bin \[#*\.*\] *[0-9]*%" tty.out &&
		script -qec "\"$CUSTOMS\" db update --quiet --output big.db --url $URL/ok/big.bin" /dev/null >tty.out;
		! grep -q "%" tty.out &&
		test_expect_code 2 "$CUSTOMS" db update --output big.db --url "$URL/ok/big.bin" 2>err &&
		one_line_error err
	'
else
	test_skip 'progress bar' 'script(1) is missing'
fi

test_expect_success 'SIGTERM during a download leaves the old database and no temporary file' '
	old_db &&
	{ "$CUSTOMS" db update --output db/customs.db --timeout 30 --url "$URL/slow/v2.db" 2>err & } &&
	pid=$! &&
	for _ in $(seq 50); do ls db | grep -q tmp- && break; sleep 0.1; done &&
	ls db | grep -q tmp- &&
	kill -TERM $pid &&
	{ wait $pid; test $? -eq 143; } &&
	unchanged
'

# https against a local server with a self-signed certificate. mbedtls 2.28 does not match IP
# addresses in certificates, so the name is localhost.
if command -v openssl >/dev/null 2>&1; then
	test_expect_success 'https: set up a self-signed certificate and server' '
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
			-subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
			-keyout tls.key -out tls.crt 2>/dev/null
	'
	if start_server https --cert tls.crt --key tls.key; then
		say_ok 'https: start the server'
	else
		say_fail 'https: start the server'
	fi
	HTTPS_URL=https://localhost:$(cat https.port 2>/dev/null)

	test_expect_success 'https with --cacert downloads the database' '
		old_db &&
		"$CUSTOMS" db update --output db/customs.db --cacert tls.crt --url "$HTTPS_URL/ok/v2.db" >out &&
		cmp root/v2.db db/customs.db &&
		"$CUSTOMS" db update --output db/customs.db --cacert tls.crt --url "$HTTPS_URL/ok/v2.db" >out &&
		grep -q "up to date" out
	'

	test_expect_success 'https with SSL_CERT_FILE downloads the database' '
		old_db &&
		SSL_CERT_FILE=$PWD/tls.crt "$CUSTOMS" db update --quiet --output db/customs.db \
			--url "$HTTPS_URL/ok/v2.db" && cmp root/v2.db db/customs.db
	'

	test_expect_success 'https without trusting the certificate fails and keeps the old database' '
		old_db &&
		test_expect_code 3 "$CUSTOMS" db update --output db/customs.db --url "$HTTPS_URL/ok/v2.db" 2>err &&
		one_line_error err && grep -q -i "cert" err && unchanged
	'
else
	test_skip 'https downloads' 'openssl is missing (tests/setup-tools.sh installs it)'
fi

# OSV zips, built here into a database. The zip importer may not exist yet: then skip.
python3 - <<'PY' 2>/dev/null
import zipfile
with zipfile.ZipFile("root/npm/all.zip", "w") as z:
    for i, name in enumerate(["left-pad", "right-pad", "up-pad"]):
        z.writestr("GHSA-zip-%04d.json" % i, """{"id": "GHSA-zip-%04d", "modified": "2024-03-01T00:00:00Z",
 "affected": [{"package": {"ecosystem": "npm", "name": "%s"},
   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "2.0.0"}]}]}]}""" % (i, name))
PY
if [ -s root/npm/all.zip ] && "$CUSTOMS" db build --output zipcheck.db root/npm/all.zip >/dev/null 2>&1; then
	test_expect_success '--osv-zip builds the database from downloaded zips' '
		old_db &&
		"$CUSTOMS" db update --output db/customs.db --osv-zip "$URL/ok/npm/all.zip" >out &&
		grep -q "^built from 1 osv zip" out &&
		"$CUSTOMS" db query db/customs.db npm up-pad | grep -q GHSA-zip-0002 &&
		test "$(ls -A db)" = customs.db
	'

	test_expect_success '--osv-zip: a failed zip download keeps the old database' '
		old_db &&
		test_expect_code 3 "$CUSTOMS" db update --output db/customs.db --osv-zip "$URL/ok/npm/all.zip" \
			--osv-zip "$URL/500/other/all.zip" 2>err &&
		one_line_error err && unchanged
	'

	test_expect_success '--osv-zip: a zip that is not one is a bad download' '
		old_db &&
		test_expect_code 2 "$CUSTOMS" db update --output db/customs.db --osv-zip "$URL/ok/page.html" 2>err &&
		one_line_error err && unchanged
	'
else
	test_skip '--osv-zip' 'customs db build cannot read OSV zips yet'
fi

test_done
