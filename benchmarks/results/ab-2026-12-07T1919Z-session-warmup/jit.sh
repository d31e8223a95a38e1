#!/bin/bash
cd /work/main
cp cli/target/sealpost.jar /tmp/wu/relay.jar
export SEALPOST_BENCH_JAR=/work/main/benchmarks/target/benchmarks.jar SEALPOST_RELAY_JAR=/tmp/wu/relay.jar
base="-XX:-HeapDumpOnOutOfMemoryError -XX:+ExitOnOutOfMemoryError -Xmx1g -XX:NativeMemoryTracking=summary -Xlog:jit+compilation=debug:file=/tmp/wu/jit/SIDE-%p.log:uptime"
opts="--no-progress --peers sealpost --w1-seconds 5 --warmup-seconds 5 --open-seconds 2 --w2-messages 2000 --w2-queues 200 --w3-connections 20 --w3-queues 1000 --w4-queues 20 --w4-rounds 1 --w5-clients 10000"
mkdir -p /tmp/wu/jit
for side in A B; do
  o="${base/SIDE/$side}"
  if [ $side = B ]; then
    SEALPOST_SESSION_WARMUP=1 SEALPOST_RELAY_JAVA_OPTS="$o -Dwarmup.ms=8000 -Dwarmup.sessions=5000" benchmarks/run-comparison $opts --out /tmp/wu/j-$side > /tmp/wu/j-$side.log 2>&1
  else
    SEALPOST_RELAY_JAVA_OPTS="$o" benchmarks/run-comparison $opts --out /tmp/wu/j-$side > /tmp/wu/j-$side.log 2>&1
  fi
  echo "$side $(date +%T)"; grep '^| sealpost ' /tmp/wu/j-$side/report.md | tail -1
done
