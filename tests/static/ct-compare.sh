#!/bin/sh
# ct-compare.sh ROOT RESULT: issue #9's security review, "constant-time comparison of hashes and
# MACs", as a check of the sources (a timing test would be a timed assertion, and flaky).
#   1. no memcmp/bcmp/strcmp/strncmp in the product's C sources takes a digest, MAC, key, ticket
#      or nonce buffer (by the names this code base gives them: md, digest, hmac, hash, mac_want,
#      want, tag, key, auth_key, priv_key, secret, session_key, nonce); a comparison of such a
#      buffer goes through OpenSSL's CRYPTO_memcmp, whose time does not depend on where the
#      first differing byte is;
#   2. the sites that verify a secret-derived value do use CRYPTO_memcmp: the config file's
#      in-file hash and the SNMP-delivered hash (tlv/cfgcrypt.c), the key-management HMAC
#      (kerberos/km_keys.c);
#   3. the pattern of 1 flags a known-bad line, so a broken pattern cannot pass silently.
# Writes "passed failed 0" to RESULT (the summary's format); exit 1 on any failure.
# Not ours, so not checked here: libkrb5 (its own checksums), OpenSSL (TLS), and Net-SNMP's USM
# digest check (sc_check_keyed_hash calls memcmp in Debian's 5.9.3; see the README).
root=${1:-.} result=${2:-/dev/null}
pass=0 fail=0
ok() { pass=$((pass + 1)); printf '  ok   %s\n' "$1"; }
bad() { fail=$((fail + 1)); printf '  FAIL %s\n' "$1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/         /'; }

names='md|digest|hmac|hash|mac_want|want|tag|auth_key|priv_key|secret|session_key|nonce'
pattern="\\b(memcmp|bcmp|strcmp|strncmp|strcasecmp)[[:space:]]*\\([^;]*\\b($names)\\b"

# 3: the pattern itself, on a line it must flag and one it must not
if printf 'if (memcmp(md, want, 20) != 0)\n' | grep -Eq "$pattern" &&
   ! printf 'if (CRYPTO_memcmp(md, want, 20) != 0)\n' | grep -Eq "$pattern"; then
	ok "the pattern flags memcmp(md, want, ..) and passes CRYPTO_memcmp"
else
	bad "the pattern does not tell memcmp(md, ..) from CRYPTO_memcmp(md, ..)"
fi

# 1: the product's sources (tests are free to compare what they like)
hits=$(cd "$root" && grep -rnE --include='*.c' --include='*.h' "$pattern" \
	ecm eue kerberos tlv snmp-mibs platform 2>/dev/null | grep -v 'CRYPTO_memcmp' |
	sed 's/"\([^"\\]\|\\.\)*"/""/g' | grep -E "$pattern")
if [ -z "$hits" ]; then
	ok "no secret buffer compared with memcmp/strcmp in ecm eue kerberos tlv snmp-mibs platform"
else
	bad "secret buffers compared with a variable-time function:" "$hits"
fi

# 2: the verification sites
for site in tlv/cfgcrypt.c:2 kerberos/km_keys.c:1; do
	f=${site%:*} want=${site#*:}
	n=$(grep -c 'CRYPTO_memcmp' "$root/$f" 2>/dev/null)
	if [ "${n:-0}" -ge "$want" ]; then
		ok "$f verifies with CRYPTO_memcmp ($n sites)"
	else
		bad "$f: ${n:-0} CRYPTO_memcmp sites, $want expected"
	fi
done

echo "$pass $fail 0" > "$result"
echo "static: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
