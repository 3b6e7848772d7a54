#!/bin/sh
# Builds the image of planted fake secrets and risky settings that tests/cli/t6400-checks.sh scans.
#
# Usage: sh tests/lib/mk-checks-image.sh OUT_DIR
#        sh tests/lib/mk-checks-image.sh --hostile OUT_DIR
#
# Every secret is made at run time (openssl, ssh-keygen, /dev/urandom), so none is ever committed,
# and each run plants different values. Works offline, with umoci and skopeo. OUT_DIR gets:
#   oci/                 the OCI layout, tag "checks"
#   docker.tar           the same image as a docker-archive (skopeo), tag customs-test/checks:1
#   Dockerfile           a Dockerfile whose final stage matches the image history, line for line
#   expected.tsv         ID <tab> PATH <tab> LINE <tab> LAYER of every finding the image must give:
#                        PATH "-" for findings about the config as a whole, a PATH ending in "/"
#                        matches any path below it, LINE "-" or LAYER "-" when it does not matter
#   absent.tsv           PATH <tab> WHY of the files that must give no finding (negative controls)
#   expected-dockerfile.tsv  ID <tab> LINE of the Dockerfile findings
#   dockerfile-lines.tsv NAME <tab> LINE of the instructions that made layers 1 to 4 (RUN_APT, COPY,
#                        ADD, RM), which image findings of those layers must be linked to
#   planted-values.txt   every planted secret value, one a line, for grep -F -f
#   planted-history.txt  the one of them that is a build argument BuildKit wrote into the history
#   layers.txt           INDEX <tab> WHAT of each layer
#
# The layers, in order:
#   0 base: os-release, dpkg status, a setuid usr/bin/passwd (the base's own, never reported);
#     an empty-layer CMD history entry after it marks where the base image ends
#   1 RUN apt-get ...: apt lists left in var/lib/apt/lists, a setuid and a setgid helper
#   2 COPY app/: the planted secrets, and look-alike negative controls
#   3 ADD https://127.0.0.1/x.tar.gz /opt/: one file
#   4 RUN rm -f app/secrets/id_ed25519 (a whiteout): the key still ships in layer 2
# and the config sets ENV DB_PASSWORD, a label holding a token, EXPOSE 22, no USER, no HEALTHCHECK.
#
# --hostile builds OUT_DIR/oci (tag "hostile") of three layers: the base, a 100 MB file of one
# repeated AWS key ID line (app/huge.log), and 20,000 small .env files each assigning a password
# (app/envs/svc-NNNNN.env); OUT_DIR/planted-values.txt lists that password and key ID.
set -eu

hostile=0
if [ "${1:-}" = --hostile ]; then
	hostile=1
	shift
fi
out=${1:-}
[ -n "$out" ] || { echo "usage: sh tests/lib/mk-checks-image.sh [--hostile] OUT_DIR" >&2; exit 2; }
for tool in umoci skopeo openssl ssh-keygen tar; do
	command -v "$tool" >/dev/null 2>&1 || { echo "mk-checks-image: $tool is missing" >&2; exit 77; }
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/customs-checks-image.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
umask 022

# rand SET N: N random characters of the tr set SET.
rand() { LC_ALL=C tr -dc "$1" </dev/urandom | head -c "$2"; }

# A 40-character AWS secret access key: base64 letters with both cases and a digit or '+' or '/',
# which the detector wants so that hex digests are not taken for one.
aws_secret() {
	while :; do
		s=$(rand 'A-Za-z0-9+/' 40)
		case "$s" in *[A-Z]*) ;; *) continue ;; esac
		case "$s" in *[a-z]*) ;; *) continue ;; esac
		case "$s" in *[0-9+/]*) echo "$s"; return ;; esac
	done
}

# A value for a password assignment: 16 letters and digits, never starting like a placeholder.
password() { echo "$(rand 'A-Za-z' 1)$(rand 'A-Za-z0-9' 15)"; }

IMG=$out/oci
TAG=checks
[ "$hostile" = 1 ] && TAG=hostile
rm -rf "$IMG"
umoci init --layout "$IMG"
umoci new --image "$IMG:$TAG"

# layer DIR CREATED_BY CREATED: append the files under DIR as one layer, modes kept (setuid too).
layer() {
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort | sed 's#^\./##') >"$work/list"
	tar -C "$1" --no-recursion --numeric-owner --owner=0 --group=0 --mtime=@1700000000 \
		--format=gnu -T "$work/list" -cf "$work/layer.tar"
	umoci raw add-layer --image "$IMG:$TAG" --history.created_by "$2" --history.created "$3" \
		"$work/layer.tar"
	rm -f "$work/layer.tar"
}

# config CREATED_BY CREATED OPTION...: an image config change recorded as an empty-layer entry.
config() {
	cb=$1 created=$2
	shift 2
	umoci config --image "$IMG:$TAG" --history.created_by "$cb" --history.created "$created" "$@"
}

BASE_DATE=2023-10-01T00:00:00Z
APP_DATE=2023-11-01T00:00:00Z

# ---- layer 0: the base image ----
b=$work/base
mkdir -p "$b/etc" "$b/var/lib/dpkg" "$b/usr/bin" "$b/bin"
cat >"$b/etc/os-release" <<'EOF'
PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION_CODENAME=bookworm
ID=debian
EOF
cat >"$b/var/lib/dpkg/status" <<'EOF'
Package: base-files
Status: install ok installed
Architecture: amd64
Version: 12.4+deb12u5

Package: libc6
Status: install ok installed
Architecture: amd64
Source: glibc
Version: 2.36-9+deb12u1

Package: zlib1g
Status: install ok installed
Architecture: amd64
Source: zlib
Version: 1:1.2.13.dfsg-1

EOF
printf 'root:x:0:0:root:/root:/bin/bash\n' >"$b/etc/passwd"
printf '#!/bin/sh\necho passwd\n' >"$b/usr/bin/passwd"
chmod 4755 "$b/usr/bin/passwd"
printf '#!/bin/sh\n' >"$b/bin/sh"
chmod 755 "$b/bin/sh"
layer "$b" "# debian.sh --arch 'amd64' out/ 'bookworm' '@1700000000'" "$BASE_DATE"
config 'CMD ["bash"]' "$BASE_DATE" --config.cmd bash

if [ "$hostile" = 1 ]; then
	key=AKIA$(rand 'A-Z2-7' 16)
	pw=$(password)
	h=$work/huge
	mkdir -p "$h/app"
	yes "request signed with $key at 2023-11-01T00:00:00Z" | head -c 100000000 >"$h/app/huge.log"
	layer "$h" 'COPY huge.log /app/huge.log # buildkit' "$APP_DATE"
	rm -rf "$h"
	e=$work/envs
	mkdir -p "$e/app/envs"
	# One awk, not a process per file: the 20,000 files take a fraction of a second.
	awk -v dir="$e/app/envs" -v pw="$pw" 'BEGIN {
		for (i = 0; i < 20000; i++) {
			f = sprintf("%s/svc-%05d.env", dir, i)
			printf "password=%s\n", pw >f
			close(f)
		}
	}'
	layer "$e" 'COPY envs/ /app/envs/ # buildkit' "$APP_DATE"
	printf '%s\n%s\n' "$key" "$pw" >"$out/planted-values.txt"
	exit 0
fi

# ---- the planted values ----
DB_PASSWORD=$(password)
LABEL_TOKEN=glpat-$(rand 'A-Za-z0-9' 20)
GIT_TOKEN=$(password)
AWS_ID_PAIRED=AKIA$(rand 'A-Z2-7' 16)
AWS_SECRET=$(aws_secret)
AWS_ID_ALONE=AKIA$(rand 'A-Z2-7' 16)
GITHUB_TOKEN=ghp_$(rand 'A-Za-z0-9' 36)
GITLAB_TOKEN=glpat-$(rand 'A-Za-z0-9' 20)
SLACK_TOKEN=xoxb-$(rand '1-9' 1)$(rand '0-9' 11)-$(rand '1-9' 1)$(rand '0-9' 12)-$(rand 'A-Za-z0-9' 24)
ENV_PASSWORD=$(password)
INI_PASSWORD=$(password)
# Look-alikes in files that are not scanned for them; never reported, so never in any output.
BINARY_AKIA=AKIA$(rand 'A-Z2-7' 16)

# ---- the Dockerfile of the final stage, one instruction per history entry ----
CB_ENV="ENV DB_PASSWORD=$DB_PASSWORD"
CB_LABEL="LABEL org.example.deploy-token=$LABEL_TOKEN"
RUN_APT='apt-get update && apt-get install -y --no-install-recommends openssh-server && install -m 4755 /tmp/helper /usr/local/bin/helper && install -m 2755 /tmp/helper /usr/local/bin/grp-helper'
CB_RUN_APT="RUN /bin/sh -c $RUN_APT # buildkit"
CB_COPY='COPY app/ /app/ # buildkit'
CB_ADD='ADD https://127.0.0.1/x.tar.gz /opt/ # buildkit'
CB_RM="RUN |1 GIT_TOKEN=$GIT_TOKEN /bin/sh -c rm -f /app/secrets/id_ed25519 # buildkit"
CB_EXPOSE='EXPOSE map[22/tcp:{}]'
CB_CMD='CMD ["/app/run.sh"]'
cat >"$out/Dockerfile" <<EOF
# The application image of tests/lib/mk-checks-image.sh: each instruction made one history entry.
FROM debian:latest
ENV DB_PASSWORD=$DB_PASSWORD
LABEL org.example.deploy-token=$LABEL_TOKEN
RUN $RUN_APT
COPY app/ /app/
ADD https://127.0.0.1/x.tar.gz /opt/
ARG GIT_TOKEN
RUN rm -f /app/secrets/id_ed25519
EXPOSE 22
CMD ["/app/run.sh"]
EOF
# dline TEXT: the Dockerfile line that starts with TEXT.
dline() { grep -n -F -- "$1" "$out/Dockerfile" | head -n 1 | cut -d: -f1; }

config "$CB_ENV" "$APP_DATE" --config.env "DB_PASSWORD=$DB_PASSWORD"
config "$CB_LABEL" "$APP_DATE" --config.label "org.example.deploy-token=$LABEL_TOKEN"

# ---- layer 1: packages installed, their index left behind, setuid and setgid helpers ----
p=$work/apt
lists=$p/var/lib/apt/lists
mkdir -p "$lists/partial" "$p/usr/local/bin" "$p/usr/sbin"
printf 'Package: openssh-server\nVersion: 1:9.2p1-2+deb12u1\nArchitecture: amd64\n\n' \
	>"$lists/127.0.0.1_debian_dists_bookworm_main_binary-amd64_Packages"
printf 'Origin: Debian\nSuite: stable\nCodename: bookworm\n' >"$lists/127.0.0.1_debian_dists_bookworm_InRelease"
: >"$lists/lock"
printf '#!/bin/sh\necho helper\n' >"$p/usr/local/bin/helper"
chmod 4755 "$p/usr/local/bin/helper"
cp "$p/usr/local/bin/helper" "$p/usr/local/bin/grp-helper"
chmod 2755 "$p/usr/local/bin/grp-helper"
printf '#!/bin/sh\necho sshd\n' >"$p/usr/sbin/sshd"
chmod 755 "$p/usr/sbin/sshd"
layer "$p" "$CB_RUN_APT" "$APP_DATE"

# ---- layer 2: the application, with the planted secrets and the negative controls ----
a=$work/app
mkdir -p "$a/app/secrets" "$a/app/certs" "$a/app/scripts" "$a/app/docs" "$a/app/src" "$a/app/bin"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$a/app/secrets/server.key" 2>/dev/null
{
	# What openssl pkcs12 writes before a key: the key starts on line 3.
	printf 'Bag Attributes\n    friendlyName: legacy\n'
	openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null
} >"$a/app/certs/legacy.pem"
ssh-keygen -q -t ed25519 -N '' -C 'deploy@checks' -f "$a/app/secrets/id_ed25519" >/dev/null
rm -f "$a/app/secrets/id_ed25519.pub"
cat >"$a/app/.env" <<EOF
# settings for production
APP_ENV=production
AWS_ACCESS_KEY_ID=$AWS_ID_PAIRED
AWS_SECRET_ACCESS_KEY=$AWS_SECRET
password=$ENV_PASSWORD
EOF
cat >"$a/app/config.ini" <<EOF
[database]
host = db
user = app
password = $INI_PASSWORD
; password = $(password)-but-commented

[defaults]
password=changeme
fallback_password=\${DB_PASSWORD}
EOF
cat >"$a/app/scripts/deploy.sh" <<EOF
#!/bin/sh
# Publishes a release.
export GITHUB_TOKEN=$GITHUB_TOKEN
export GITLAB_TOKEN=$GITLAB_TOKEN
curl -H "Authorization: Bearer $SLACK_TOKEN" -d text=released http://127.0.0.1/api/chat.postMessage
EOF
cat >"$a/app/scripts/backup.sh" <<EOF
#!/bin/sh
# Copies the database dump away.
aws configure set aws_access_key_id $AWS_ID_ALONE
aws s3 cp /srv/dump.sql s3://backups/
EOF
cat >"$a/app/run.sh" <<'EOF'
#!/bin/sh
exec /app/server
EOF
chmod 755 "$a/app/run.sh" "$a/app/scripts/deploy.sh" "$a/app/scripts/backup.sh"
# Negative controls: look-alikes that must give no finding.
cat >"$a/app/docs/aws.md" <<'EOF'
# Credentials

Set AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE and
AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY as in the AWS documentation.
EOF
cat >"$a/app/docs/github.md" <<'EOF'
# Tokens

A token looks like ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx (never commit one).
EOF
cat >"$a/app/.env.example" <<EOF
password=$(password)
AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
EOF
cat >"$a/app/src/tls.c" <<'EOF'
/* Tells PEM keys apart by their header. */
static const char rsa_header[] = "-----BEGIN RSA PRIVATE KEY-----\n";
static const char ec_header[] = "-----BEGIN EC PRIVATE KEY-----";
EOF
cat >"$a/app/settings.py" <<EOF
# Django-style settings: code, not a configuration file.
password="$(password)"
DATABASES = {"default": {"PASSWORD": "$(password)"}}
EOF
{
	printf 'ELF\0\0\0\0\1\2\3\0\0\0'
	printf 'key=%s\n' "$BINARY_AKIA"
	head -c 512 /dev/zero
} >"$a/app/bin/blob.bin"
layer "$a" "$CB_COPY" "$APP_DATE"

# ---- layer 3: ADD of a URL (the bytes are made here: the build never reaches a network) ----
d=$work/add
mkdir -p "$d/opt"
printf 'x\n' | gzip -n >"$d/opt/x.tar.gz"
layer "$d" "$CB_ADD" "$APP_DATE"

# ---- layer 4: the private key deleted, as a whiteout; BuildKit writes the build argument into
# the history (ARG itself makes no entry) ----
w=$work/rm
mkdir -p "$w/app/secrets"
: >"$w/app/secrets/.wh.id_ed25519"
layer "$w" "$CB_RM" "$APP_DATE"

config "$CB_EXPOSE" "$APP_DATE" --config.exposedports 22/tcp
config "$CB_CMD" "$APP_DATE" --clear config.cmd --config.cmd /app/run.sh
umoci gc --layout "$IMG"

skopeo --insecure-policy copy -q "oci:$IMG:$TAG" "docker-archive:$out/docker.tar:customs-test/checks:1" >/dev/null

# ---- what the test expects ----
# line FILE TEXT: the first line of FILE (under the app layer) holding TEXT.
line() { grep -n -F -- "$2" "$a/$1" | head -n 1 | cut -d: -f1; }
{
	printf 'CUS-SEC-001\tapp/secrets/server.key\t1\t2\n'
	printf 'CUS-SEC-001\tapp/certs/legacy.pem\t%s\t2\n' "$(line app/certs/legacy.pem 'BEGIN EC PRIVATE KEY')"
	printf 'CUS-SEC-002\tapp/secrets/id_ed25519\t1\t2\n'
	printf 'CUS-SEC-004\tapp/.env\t%s\t2\n' "$(line app/.env "$AWS_ID_PAIRED")"
	# aws_secret_access_key= in a .env file is a generic assignment too.
	printf 'CUS-SEC-008\tapp/.env\t%s\t2\n' "$(line app/.env "AWS_SECRET_ACCESS_KEY=")"
	printf 'CUS-SEC-008\tapp/.env\t%s\t2\n' "$(line app/.env "password=$ENV_PASSWORD")"
	printf 'CUS-SEC-008\tapp/config.ini\t%s\t2\n' "$(line app/config.ini "password = $INI_PASSWORD")"
	printf 'CUS-SEC-003\tapp/scripts/backup.sh\t%s\t2\n' "$(line app/scripts/backup.sh "$AWS_ID_ALONE")"
	printf 'CUS-SEC-005\tapp/scripts/deploy.sh\t%s\t2\n' "$(line app/scripts/deploy.sh "$GITHUB_TOKEN")"
	printf 'CUS-SEC-006\tapp/scripts/deploy.sh\t%s\t2\n' "$(line app/scripts/deploy.sh "$GITLAB_TOKEN")"
	printf 'CUS-SEC-007\tapp/scripts/deploy.sh\t%s\t2\n' "$(line app/scripts/deploy.sh "$SLACK_TOKEN")"
	printf 'CUS-CFG-009\tusr/local/bin/helper\t-\t1\n'
	printf 'CUS-CFG-009\tusr/local/bin/grp-helper\t-\t1\n'
	printf 'CUS-CFG-008\tvar/lib/apt/lists/\t-\t1\n'
	printf 'CUS-CFG-001\t-\t-\t-\n'
	printf 'CUS-CFG-002\t-\t-\t-\n'
	printf 'CUS-CFG-003\t-\t-\t-\n'
	printf 'CUS-CFG-004\t-\t-\t4\n'
	printf 'CUS-CFG-005\t-\t-\t-\n'
	printf 'CUS-CFG-006\t-\t-\t-\n'
	printf 'CUS-CFG-007\t-\t-\t3\n'
} >"$out/expected.tsv"
{
	printf 'usr/bin/passwd\tthe setuid file of the base image\n'
	printf 'app/docs/aws.md\tAWS documentation example key\n'
	printf 'app/docs/github.md\tghp_ with a placeholder body\n'
	printf 'app/.env.example\tan example file\n'
	printf 'app/src/tls.c\tPEM headers with no key body\n'
	printf 'app/settings.py\tpassword= in code, not configuration\n'
	printf 'app/bin/blob.bin\ta binary file\n'
	printf 'app/run.sh\tno secret at all\n'
	printf 'opt/x.tar.gz\tno secret at all\n'
} >"$out/absent.tsv"
{
	printf 'CUS-DKR-001\t%s\n' "$(dline 'FROM debian:latest')"
	printf 'CUS-DKR-002\t%s\n' "$(dline 'FROM debian:latest')"
	# No USER and no HEALTHCHECK in the final stage: reported at its FROM line.
	printf 'CUS-DKR-008\t%s\n' "$(dline 'FROM debian:latest')"
	printf 'CUS-DKR-011\t%s\n' "$(dline 'FROM debian:latest')"
	printf 'CUS-DKR-006\t%s\n' "$(dline 'ENV DB_PASSWORD=')"
	printf 'CUS-DKR-010\t%s\n' "$(dline 'RUN apt-get update')"
	printf 'CUS-DKR-005\t%s\n' "$(dline 'ADD https://')"
	printf 'CUS-DKR-009\t%s\n' "$(dline 'EXPOSE 22')"
} >"$out/expected-dockerfile.tsv"
{
	printf 'RUN_APT\t%s\n' "$(dline 'RUN apt-get update')"
	printf 'COPY\t%s\n' "$(dline 'COPY app/')"
	printf 'ADD\t%s\n' "$(dline 'ADD https://')"
	printf 'RM\t%s\n' "$(dline 'RUN rm -f')"
} >"$out/dockerfile-lines.tsv"
printf '0\tbase\n1\tapt and setuid\n2\tapp and secrets\n3\tADD URL\n4\twhiteout of the ssh key\n' >"$out/layers.txt"
{
	printf '%s\n' "$DB_PASSWORD" "$LABEL_TOKEN" "$GIT_TOKEN" "$AWS_ID_PAIRED" "$AWS_SECRET" "$AWS_ID_ALONE" \
		"$GITHUB_TOKEN" "$GITLAB_TOKEN" "$SLACK_TOKEN" "$ENV_PASSWORD" "$INI_PASSWORD"
	# The bodies of the keys: their second lines, long runs of base64 found nowhere else.
	sed -n 2p "$a/app/secrets/server.key"
	sed -n 4p "$a/app/certs/legacy.pem"
	sed -n 2p "$a/app/secrets/id_ed25519"
} >"$out/planted-values.txt"
printf '%s\n' "$GIT_TOKEN" >"$out/planted-history.txt"
