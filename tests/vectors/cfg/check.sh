#!/bin/sh
# check.sh PKTCFG RESULTS_FILE: pktcfg end to end on tests/vectors/cfg (make check-pktcfg).
# Round trips, hash, encryption, every documented exit code, smilint on the
# MIB modules and the freshness of the generated MIB name table.  Writes
# "passed failed 0" to RESULTS_FILE for mk/summary.sh.
set -u
P=$1 R=$2 D=tests/vectors/cfg
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
pass=0 fail=0
KEY=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "  FAIL pktcfg: $*"; }
# expect CODE DESCRIPTION -- command...
expect() {
	want=$1 what=$2; shift 3
	"$@" > "$W/out" 2> "$W/err"; got=$?
	if [ "$got" = "$want" ]; then ok; else bad "$what: exit $got, want $want: $(head -2 "$W/err")"; fi
}
for t in basic-cl ietf rows-bad; do
	mib=cablelabs; [ $t = ietf ] && mib=ietf
	expect 0 "$t encode" -- "$P" encode --mib $mib "$D/$t.txt" -o "$W/a.bin"
	expect 0 "$t decode" -- "$P" decode --mib $mib "$W/a.bin" -o "$W/a.txt"
	expect 0 "$t re-encode" -- "$P" encode --mib $mib "$W/a.txt" -o "$W/b.bin"
	if cmp -s "$W/a.bin" "$W/b.bin"; then ok; else bad "$t: text -> binary -> text -> binary differs"; fi
done
# text decoded with one --mib compiles back identically with the default
"$P" decode --mib ietf "$D/ietf-hash.bin" -o "$W/x.txt" && "$P" encode "$W/x.txt" -o "$W/x.bin"
if cmp -s "$W/x.bin" "$D/ietf-hash.bin"; then ok; else bad "decode --mib ietf | encode differs"; fi
# the committed binaries are what the committed text compiles to
expect 0 "encode basic-cl" -- "$P" encode "$D/basic-cl.txt" -o "$W/c.bin"
if cmp -s "$W/c.bin" "$D/basic-cl.bin"; then ok; else bad "basic-cl.bin is stale"; fi
expect 0 "encode --hash" -- "$P" encode --hash "$D/basic-cl.txt" -o "$W/h.bin"
if cmp -s "$W/h.bin" "$D/basic-cl-hash.bin"; then ok; else bad "basic-cl-hash.bin is stale"; fi
# the in-file hash equals sha1sum of the unhashed file (independent check)
if [ "$("$P" hash "$D/basic-cl-hash.bin" | sed -n 's/^config-hash //p')" = "$(sha1sum "$D/basic-cl.bin" | cut -c1-40)" ]; then ok; else bad "hash differs from sha1sum"; fi
expect 0 "verify hashed" -- "$P" verify --require-hash "$D/basic-cl-hash.bin"
expect 0 "verify ietf hashed" -- "$P" verify --require-hash "$D/ietf-hash.bin"
expect 0 "verify encrypted" -- "$P" verify --decrypt aes128 --key $KEY --require-hash "$D/basic-cl-aes128.bin"
expect 0 "snmp hash" -- "$P" verify --snmp-hash "$(sha1sum "$D/basic-cl-aes128.bin" | cut -c1-40)" --decrypt aes128 --key $KEY "$D/basic-cl-aes128.bin"
for alg in des 3des aes128 aes256; do
	expect 0 "encrypt $alg" -- "$P" encode --hash --encrypt $alg --key $KEY "$D/basic-cl.txt" -o "$W/e.bin"
	expect 0 "decrypt $alg" -- "$P" decode --decrypt $alg --key $KEY "$W/e.bin" -o "$W/e.txt"
	expect 0 "verify $alg" -- "$P" verify --require-hash --decrypt $alg --key $KEY "$W/e.bin"
done
# exit codes
expect 1 "no arguments" -- "$P"
expect 1 "unknown command" -- "$P" frobnicate "$D/basic-cl.txt"
expect 1 "key without algorithm" -- "$P" encode --key 00 "$D/basic-cl.txt"
expect 2 "missing file" -- "$P" decode "$W/does-not-exist"
printf 'Main {\n  MtaConfigDelimiter 1;\n  SnmpMibObject noSuchName.0 Integer 1;\n}\n' > "$W/bad.txt"
expect 3 "unknown name" -- "$P" encode "$W/bad.txt"
if grep -q "bad.txt:3:17: error: unknown object name" "$W/err"; then ok; else bad "line:column: $(cat "$W/err")"; fi
expect 4 "not a config file" -- "$P" decode "$D/basic-cl.txt"
expect 5 "hash required" -- "$P" verify --require-hash "$D/basic-cl.bin"
cp "$D/basic-cl-hash.bin" "$W/t.bin"; printf 'x' | dd of="$W/t.bin" bs=1 seek=10 conv=notrunc 2>/dev/null
expect 5 "hash mismatch" -- "$P" verify "$W/t.bin"
expect 5 "snmp hash mismatch" -- "$P" verify --snmp-hash 0000000000000000000000000000000000000000 "$D/basic-cl.bin"
expect 6 "6.4.2 rules" -- "$P" verify "$D/rows-bad.bin"
expect 7 "key length" -- "$P" encode --encrypt aes128 --key 0011 "$D/basic-cl.txt" -o "$W/x.bin"
printf "0123456789" > "$W/short.bin"
expect 7 "short ciphertext" -- "$P" decode --decrypt aes256 --key $KEY "$W/short.bin"
expect 4 "wrong key gives garbage" -- "$P" decode --decrypt aes128 --key 1$(echo $KEY | cut -c2-) "$D/basic-cl-aes128.bin"
# MIB modules: smilint finds no error (severity 0-3) and the compiled name
# table is what the generator makes of them (needs smitools: deps/config.list)
if command -v smilint > /dev/null && command -v python3 > /dev/null; then
	for m in snmp-mibs/mibs/*.txt; do
		if [ -z "$(SMIPATH=snmp-mibs/mibs smilint -l 3 "$m" 2>&1)" ]; then ok; else bad "smilint $m"; fi
	done
	if python3 tlv/mibnames.py snmp-mibs/mibs 2> "$W/gen" | cmp -s - tlv/mibnames.c; then ok
	else bad "tlv/mibnames.c is not what tlv/mibnames.py makes of snmp-mibs/mibs: $(cat "$W/gen")"; fi
fi
echo "$pass $fail 0" > "$R"
echo "pktcfg: $pass passed, $fail failed"
[ $fail -eq 0 ]
