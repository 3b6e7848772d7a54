#!/bin/bash
# customs db sign/verify: detached ECDSA P-256 signatures that openssl agrees with.
. "$(dirname "$0")/../lib/test-lib.sh"

if ! command -v openssl >/dev/null 2>&1; then
	test_skip 'db sign and verify' 'openssl is missing (tests/setup-tools.sh installs it)'
	test_done
	exit
fi

cat >adv.json <<'JSON'
{"id": "GHSA-sign-0001", "modified": "2024-03-01T00:00:00Z", "summary": "signed advisory",
 "affected": [{"package": {"ecosystem": "npm", "name": "left-pad"},
   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.3.0"}]}]}]}
JSON

test_expect_success 'set up keys and a database' '
	openssl ecparam -name prime256v1 -genkey -noout -out key.pem 2>/dev/null &&
	openssl ec -in key.pem -pubout -out pub.pem 2>/dev/null &&
	openssl ecparam -name prime256v1 -genkey -noout -out other.pem 2>/dev/null &&
	openssl ec -in other.pem -pubout -out other-pub.pem 2>/dev/null &&
	openssl ecparam -name secp384r1 -genkey -noout -out p384.pem 2>/dev/null &&
	openssl ec -in p384.pem -pubout -out p384-pub.pem 2>/dev/null &&
	openssl genrsa -out rsa.pem 2048 2>/dev/null &&
	openssl rsa -in rsa.pem -pubout -out rsa-pub.pem 2>/dev/null &&
	"$CUSTOMS" db build --output db adv.json >/dev/null
'

test_expect_success 'sign writes db.sig by default and customs verifies it' '
	"$CUSTOMS" db sign --key key.pem db >out &&
	test -s db.sig &&
	"$CUSTOMS" db verify --pubkey pub.pem db >out &&
	test "$(cat out)" = "signature ok: db"
'

test_expect_success 'openssl verifies the signature customs made' '
	openssl dgst -sha256 -verify pub.pem -signature db.sig db
'

test_expect_success 'customs verifies a signature openssl made, with --output/--signature' '
	openssl dgst -sha256 -sign key.pem -out db.sig2 db &&
	"$CUSTOMS" db verify --pubkey pub.pem --signature db.sig2 db &&
	"$CUSTOMS" db sign --key key.pem --output custom.sig db >/dev/null &&
	"$CUSTOMS" db verify --pubkey pub.pem --signature custom.sig db
'

test_expect_success 'a tampered database fails with exit code 4 and one line' '
	cp db bad.db && cp db.sig bad.db.sig &&
	printf "\\377" | dd of=bad.db bs=1 seek=20 conv=notrunc 2>/dev/null &&
	! cmp -s db bad.db &&
	test_expect_code 4 "$CUSTOMS" db verify --pubkey pub.pem bad.db 2>err &&
	one_line_error err && grep -q "does not match" err
'

test_expect_success 'the wrong public key fails with exit code 4' '
	test_expect_code 4 "$CUSTOMS" db verify --pubkey other-pub.pem db 2>err &&
	one_line_error err
'

test_expect_success 'garbage and empty signatures fail with exit code 4' '
	head -c 70 /dev/urandom >garbage.sig &&
	test_expect_code 4 "$CUSTOMS" db verify --pubkey pub.pem --signature garbage.sig db 2>err &&
	one_line_error err &&
	: >empty.sig &&
	test_expect_code 4 "$CUSTOMS" db verify --pubkey pub.pem --signature empty.sig db 2>err &&
	one_line_error err &&
	head -c 5000 /dev/urandom >long.sig &&
	test_expect_code 4 "$CUSTOMS" db verify --pubkey pub.pem --signature long.sig db 2>err &&
	one_line_error err
'

test_expect_success 'RSA and P-384 keys are refused with exit code 2' '
	test_expect_code 2 "$CUSTOMS" db sign --key rsa.pem --output r.sig db 2>err &&
	one_line_error err && grep -q "p-256" err && test ! -e r.sig &&
	test_expect_code 2 "$CUSTOMS" db verify --pubkey rsa-pub.pem db 2>err &&
	one_line_error err && grep -q "p-256" err &&
	test_expect_code 2 "$CUSTOMS" db sign --key p384.pem --output r.sig db 2>err &&
	one_line_error err && grep -q "p-256" err &&
	test_expect_code 2 "$CUSTOMS" db verify --pubkey p384-pub.pem db 2>err &&
	one_line_error err
'

test_expect_success 'missing signature, key or database exits 2' '
	test_expect_code 2 "$CUSTOMS" db verify --pubkey pub.pem --signature nope.sig db 2>err &&
	one_line_error err && grep -q "nope.sig" err &&
	test_expect_code 2 "$CUSTOMS" db verify --pubkey nope.pem db 2>err &&
	one_line_error err &&
	test_expect_code 2 "$CUSTOMS" db sign --key nope.pem db 2>err &&
	one_line_error err &&
	test_expect_code 2 "$CUSTOMS" db sign --key key.pem nope.db 2>err &&
	one_line_error err && test ! -e nope.db.sig &&
	test_expect_code 2 "$CUSTOMS" db verify --pubkey pub.pem nope.db 2>err &&
	one_line_error err
'

test_expect_success 'a key that is not PEM exits 2; usage errors exit 2' '
	echo "not a key" >junk.pem &&
	test_expect_code 2 "$CUSTOMS" db verify --pubkey junk.pem db 2>err &&
	one_line_error err &&
	test_expect_code 2 "$CUSTOMS" db sign db 2>err &&
	test_expect_code 2 "$CUSTOMS" db verify --pubkey pub.pem 2>err &&
	"$CUSTOMS" db --help | grep -q "db verify --pubkey"
'

test_done
