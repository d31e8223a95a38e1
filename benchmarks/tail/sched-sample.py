# Issue 13: every 100 ms, the CPU time and the run-queue wait (/proc/<pid>/task/*/schedstat fields
# 1 and 2: time runnable but not running) summed over the threads of the relay (the java process on
# port 15843) and of the load generator (ComparisonMain writing under <dir>).
# Usage: sched-sample.py <out file> <dir>; lines: monotonic_ns which pid runq_wait_ns cpu_ns
import os,sys,time
out=open(sys.argv[1],'w')
mark=sys.argv[2].encode() if len(sys.argv)>2 else b'/var/tmp/perf15'
def find():
    r={}
    for p in os.listdir('/proc'):
        if not p.isdigit(): continue
        try: cmd=open('/proc/%s/cmdline'%p,'rb').read().split(b'\0')
        except OSError: continue
        s=b' '.join(cmd)
        if b'sealpost.jar' in s and b'15843' in s: r['relay']=p
        elif b'ComparisonMain' in s and mark in s: r['lg']=p
    return r
pids={}
last=0
while True:
    t=time.monotonic_ns()
    if t-last>1e9: pids=find(); last=t
    for w,p in pids.items():
        run=cpu=0
        try:
            for tid in os.listdir('/proc/%s/task'%p):
                try:
                    a=open('/proc/%s/task/%s/schedstat'%(p,tid)).read().split()
                    cpu+=int(a[0]); run+=int(a[1])
                except OSError: pass
        except OSError: continue
        out.write('%d %s %s %d %d\n'%(t,w,p,run,cpu))
    out.flush()
    time.sleep(0.1)
