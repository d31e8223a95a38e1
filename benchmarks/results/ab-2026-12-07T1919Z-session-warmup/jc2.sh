#!/bin/bash
cd /work/main
export SEALPOST_BENCH_JAR=/work/main/benchmarks/target/benchmarks.jar SEALPOST_RELAY_JAR=${RELAY:-/work/main/cli/target/sealpost.jar}
opts="--no-progress --peers ${PEER:-sealpost} --w1-seconds 30 --warmup-seconds 20 --open-seconds 5 --w2-messages 1000 --w2-queues 100 --w3-connections 20 --w3-queues 1000 --w4-queues 20 --w4-rounds 1 --w5-clients 20"
out=${OUT:-/tmp/wu/jc-2}
benchmarks/run-comparison $opts --out $out > $out.log 2>&1 &
for i in $(seq 1 300); do pid=$(pgrep -f 'sealpost.jar relay' | head -1); [ -n "$pid" ] && break; sleep 0.2; done
sleep 34; jcmd $pid Thread.print > $out.names
snap() { date +%s.%N; for t in /proc/$pid/task/*; do echo "$(basename $t) $(cut -d' ' -f14,15 $t/stat)"; done; }
sleep 1; snap > $out.s1; sleep 22; snap > $out.s2
wait
