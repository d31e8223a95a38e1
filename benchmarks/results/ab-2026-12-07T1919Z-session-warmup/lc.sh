#!/bin/bash
cd /work/main
export SEALPOST_BENCH_JAR=/work/main/benchmarks/target/benchmarks.jar SEALPOST_RELAY_JAR=${RELAY:-/work/main/cli/target/sealpost.jar}
base="-XX:-HeapDumpOnOutOfMemoryError -XX:+ExitOnOutOfMemoryError -Xmx1g -XX:NativeMemoryTracking=summary"
opts="--no-progress --peers ${PEER:-sealpost} --w1-seconds 30 --warmup-seconds 20 --open-seconds 5 --w2-messages 1000 --w2-queues 100 --w3-connections 20 --w3-queues 1000 --w4-queues 20 --w4-rounds 1 --w5-clients 20"
out=${OUT:-/tmp/wu/lc-1}
mkdir -p /tmp/wu/lc
SEALPOST_RELAY_JAVA_OPTS="$base -XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation -XX:LogFile=/tmp/wu/lc/relay-%p.log" benchmarks/run-comparison $opts --out $out > $out.log 2>&1
