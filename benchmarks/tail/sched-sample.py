# Issue 13: every 100 ms, the CPU time and the run-queue wait (/proc/<pid>/task/*/schedstat fields
# 1 and 2: time runnable but not running) summed over the threads of the relay (the java process on
# port 15843) and of the load generator (ComparisonMain writing under <dir>), then the same per
# class of thread (by thread name) as class=runq_ns/cpu_ns.
# Usage: sched-sample.py <out file> <dir>; lines: monotonic_ns which pid runq_wait_ns cpu_ns classes...
import os,sys,time
out=open(sys.argv[1],'w')
mark=sys.argv[2].encode() if len(sys.argv)>2 else b'/var/tmp/perf15'
def cls(name):
    for key,c in (('eventloo','eventloop'),('sealpost-mailbo','store'),('rocksdb','rocksdb'),
                  ('GC Thread','gc'),('G1','gc'),('C2 Comp','jit'),('C1 Comp','jit'),('w1-open','sender'),('JFR','jfr')):
        if key in name: return c
    return 'other'
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
names={}
while True:
    t=time.monotonic_ns()
    if t-last>1e9: pids=find(); last=t
    for w,p in pids.items():
        run=cpu=0; per={}
        try:
            for tid in os.listdir('/proc/%s/task'%p):
                try:
                    a=open('/proc/%s/task/%s/schedstat'%(p,tid)).read().split()
                    k=(p,tid)
                    if k not in names: names[k]=cls(open('/proc/%s/task/%s/comm'%(p,tid)).read())
                    c=names[k]; x=per.setdefault(c,[0,0]); x[0]+=int(a[1]); x[1]+=int(a[0])
                    cpu+=int(a[0]); run+=int(a[1])
                except OSError: pass
        except OSError: continue
        out.write('%d %s %s %d %d %s\n'%(t,w,p,run,cpu,' '.join('%s=%d/%d'%(c,v[0],v[1]) for c,v in sorted(per.items()))))
    out.flush()
    time.sleep(0.1)
