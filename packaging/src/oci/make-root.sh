#!/bin/sh
# issue 12: the file tree of the OCI image (Jib adds it to a `scratch` base): a jlink Java runtime
# from the build's JDK, the C libraries it and RocksDB's native library load (copied from this
# machine, found with ldd), the runnable jar, and the default configuration. No shell, no package
# manager. Usage: make-root.sh JAR CONFIG OUT CLUSTER_JAR
set -eu
jar=$1
conf=$2
out=$3
cluster=$4
rm -rf "$out"
# Jib also layers the module's own classes: this module has none, but the directory must exist
mkdir -p "$(dirname "$out")/classes"
mkdir -p "$out/opt" "$out/usr/share/sealpost" "$out/etc/sealpost" "$out/var/lib/sealpost" "$out/tmp"
jdk="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
"$jdk/bin/jlink" --output "$out/opt/java" --strip-debug --no-man-pages --no-header-files \
  --add-modules java.base,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,jdk.crypto.ec,jdk.management,jdk.unsupported,jdk.naming.dns
cp "$jar" "$out/usr/share/sealpost/sealpost.jar"
# issue 14: the cluster module, on the entrypoint's class path (started only when cluster.node is set)
cp "$cluster" "$out/usr/share/sealpost/sealpost-cluster.jar"
# the Debian package's configuration; the data directory is one level down, inside the volume
sed 's|^data-dir = /var/lib/sealpost$|data-dir = /var/lib/sealpost/data|' "$conf" \
  > "$out/etc/sealpost/relay.properties"
grep -q '^data-dir = /var/lib/sealpost/data$' "$out/etc/sealpost/relay.properties"
# the native RocksDB library, extracted at build time: the image cannot write next to it, and the
# relay loads it from here (ROCKSDB_SHAREDLIB_DIR) after checking its size and CRC-32, which also
# name its directory (NativeLibrary, PackagedLibrary.key: CRC-32 then size, 8 hex digits each;
# a gzip stream ends in the CRC-32 of its input, 4 bytes little-endian, and then its size)
native="$(dirname "$out")/oci-native"
rm -rf "$native" && mkdir -p "$native"
(cd "$native" && "$jdk/bin/jar" xf "$jar" librocksdbjni-linux64.so)
so="$native/librocksdbjni-linux64.so"
crc=$(gzip -1 -c "$so" | tail -c8 | head -c4 | od -An -tx1 | tr -d ' \n' \
  | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/')
key="$crc$(printf '%08x' "$(wc -c < "$so")")"
mkdir -p "$out/usr/lib/sealpost/rocksdbjni-$key"
mv "$so" "$out/usr/lib/sealpost/rocksdbjni-$key/librocksdbjnijni-linux64.so"
# the C libraries: everything ldd names for the runtime's files and the RocksDB library
find "$out/opt/java" "$out/usr/lib/sealpost" -type f \( -name '*.so' -o -path '*/bin/*' \) \
  -exec ldd {} \; 2>/dev/null | grep -o '/[^ ]*\.so[^ ]*' | sort -u | while read -r lib; do
  case "$lib" in "$out"*) continue ;; esac
  real=$(readlink -f "$lib")
  mkdir -p "$out$(dirname "$lib")"
  cp "$real" "$out$lib"
done
# a writable /tmp and a data-volume parent any user can create its 0700 data directory in (the
# image has them 0777: Jib's <permissions> in pom.xml set the mode and take no sticky bit; the image
# runs one user, so that costs nothing)
chmod 1777 "$out/tmp" "$out/var/lib/sealpost"
