#!/bin/bash
cd /work/main
export SEALPOST_BENCH_JAR=/work/main/benchmarks/target/benchmarks.jar SEALPOST_RELAY_JAR=${RELAY:-/work/main/cli/target/sealpost.jar}
opts="--no-progress --peers ${PEER:-sealpost} --w1-seconds 30 --warmup-seconds 20 --open-seconds 5 --w2-messages 1000 --w2-queues 100 --w3-connections 20 --w3-queues 1000 --w4-queues 20 --w4-rounds 1 --w5-clients 20"
out=${OUT:-/tmp/wu/perf-1}
benchmarks/run-comparison $opts --out $out > $out.log 2>&1 &
for i in $(seq 1 300); do pid=$(pgrep -f 'sealpost.jar relay' | head -1); [ -n "$pid" ] && break; sleep 0.2; done
sleep 34; jcmd $pid Thread.print > $out.names
w=$(grep '"sealpost-mailbox-writer-1"' $out.names | sed 's/.*nid=\(0x[0-9a-f]*\).*/\1/'); w=$((w))
r=$(grep '"sealpost-mailbox-read-1"' $out.names | sed 's/.*nid=\(0x[0-9a-f]*\).*/\1/'); r=$((r))
e=$(grep '"vert.x-eventloop-thread-0"' $out.names | sed 's/.*nid=\(0x[0-9a-f]*\).*/\1/'); e=$((e))
echo "$pid writer $w read $r el $e" > $out.tids
perf record -F 999 -g -t $w -o $out.writer.data -- sleep 12 2> /dev/null
wait
