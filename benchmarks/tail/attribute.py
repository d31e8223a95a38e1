# Issue 13 item 4: what the W1 open loop's slow messages waited for, from a run of run-traced.
# Usage: attribute.py <dir> [peer] [quantile]. The slow messages (latency from the scheduled time at
# or above the quantile, default 0.99) are merged into episodes (overlapping [scheduled, delivered]
# intervals); for each episode: the safepoints (GC) of both JVMs, the longest fdatasync of the relay,
# and the CPU and run-queue wait of both processes over the episode (in % of one core, summed over
# threads: a run-queue wait of 300 % is three threads runnable but not running, on average).
import csv,sys,re,glob,subprocess,os,bisect
# Then the relay's heap over the measured phases, and how often its slow WAL fdatasyncs (> 20 ms)
# overlapped a sync of its own RocksDB flush/compaction threads, against its fast ones.
d=sys.argv[1]; peer=sys.argv[2] if len(sys.argv)>2 else 'sealpost'
q=float(sys.argv[3]) if len(sys.argv)>3 else 0.99
f='%s/out/%s-w1-open-timeline.csv'%(d,peer)
lines=open(f).read().splitlines()
origin=int(lines[0].split('=')[1])
rows=[r for r in csv.DictReader(lines[1:]) if r['delivered_ms']]
def ns(ms): return origin+int(float(ms)*1e6)
lat=sorted(float(r['delivered_ms'])-float(r['intended_ms']) for r in rows); n=len(lat)
thr=lat[int(q*n)]
print("%s: n=%d p50 %.1f p99 %.1f p99.9 %.1f max %.1f; slow = >= %.1f ms"%(peer,n,lat[n//2],lat[int(.99*n)],lat[int(.999*n)],lat[-1],thr))
iv=sorted((ns(r['intended_ms']),ns(r['delivered_ms'])) for r in rows if float(r['delivered_ms'])-float(r['intended_ms'])>=thr)
ep=[]
for a,b in iv:
    if ep and a<=ep[-1][1]: ep[-1][1]=max(ep[-1][1],b); ep[-1][2]+=1
    else: ep.append([a,b,1])
t_start=ns(rows[0]['intended_ms']) if rows else origin
t_end=max(ns(r['delivered_ms']) for r in rows)
# gc pauses: relay logs (timenanos decorator is the 3rd bracket)
def pauses(files):
    out=[]
    for fn in files:
        for line in open(fn):
            m=re.match(r'\[[^\]]*\]\[[^\]]*\]\[(\d+)ns\] Safepoint "([^"]+)".*Total: (\d+) ns',line)
            if m:
                end=int(m.group(1)); dur=int(m.group(3)); out.append((end-dur,end,m.group(2)))
    return out
# relay pid: the relay whose log covers the open loop
rgc=[]
for fn in glob.glob(d+'/relay-gc-*.log'):
    p=pauses([fn])
    if p and p[0][0]<t_start and p[-1][1]>t_end: rgc=p; relaypid=re.search(r'gc-(\d+)',fn).group(1)
lgc=pauses([d+'/lg-gc.log'])
# fdatasync of the relay
fs=[]
txt=subprocess.run(['perf','script','-i',d+'/fsync.perf','-F','pid,tid,time,event'],capture_output=True,text=True).stdout
open_={}
for line in txt.splitlines():
    m=re.match(r'\s*(\d+)/(\d+)\s+([\d.]+):\s+syscalls:sys_(enter|exit)_(f\w+)',line)
    if not m or m.group(1)!=relaypid: continue
    t=int(round(float(m.group(3))*1e9)); tid=m.group(2)
    if m.group(4)=='enter': open_[tid]=t
    elif tid in open_: fs.append((open_.pop(tid),t))
# schedstat samples
sched={'relay':[],'lg':[]}
percls={}
for line in open(d+'/sched.txt'):
    f=line.split(); t,w,p,run,cpu=f[:5]; sched[w].append((int(t),int(run),int(cpu)))
    percls.setdefault(w,[]).append((int(t),{c.split('=')[0]:tuple(int(x) for x in c.split('=')[1].split('/')) for c in f[5:]}))
def delta(w,a,b):
    s=sched[w]; ts=[x[0] for x in s]
    i=max(0,bisect.bisect_right(ts,a)-1); j=min(len(s)-1,bisect.bisect_left(ts,b))
    if j<=i: return (0,0,0)
    return ((s[j][0]-s[i][0])/1e6,(s[j][1]-s[i][1])/1e6,(s[j][2]-s[i][2])/1e6)
def within(evs,a,b): return [x for x in evs if x[1]>a and x[0]<b]
W=lambda a,b: (a-t_start)/1e9
tot=delta('relay',t_start,t_end); totl=delta('lg',t_start,t_end)
print("whole open loop %.1f s: relay cpu %.0f%% runq-wait %.0f%% of a core; load-gen cpu %.0f%% runq-wait %.0f%%"%(tot[0]/1e3,100*tot[2]/tot[0],100*tot[1]/tot[0],100*totl[2]/totl[0],100*totl[1]/totl[0]))
fsd=sorted((b-a)/1e6 for a,b in within(fs,t_start,t_end))
if fsd: print("relay fdatasync in open loop: n=%d p50 %.2f p99 %.2f max %.1f ms; >20 ms: %d, >50 ms: %d"%(len(fsd),fsd[len(fsd)//2],fsd[int(.99*len(fsd))],fsd[-1],sum(x>20 for x in fsd),sum(x>50 for x in fsd)))
rg=[(b-a)/1e6 for a,b,_ in within(rgc,t_start,t_end)]; lg=[(b-a)/1e6 for a,b,_ in within(lgc,t_start,t_end)]
print("relay safepoints: n=%d sum %.0f ms max %.1f; load-gen: n=%d sum %.0f ms max %.1f"%(len(rg),sum(rg),max(rg or [0]),len(lg),sum(lg),max(lg or [0])))
print("episode (s from open-loop start) | slow msgs | relay: safepoint max/sum ms, fdatasync max ms, cpu%, runq-wait% | load-gen: safepoint max, cpu%, runq-wait%")
for a,b,c in ep:
    rs=within(rgc,a,b); ls=within(lgc,a,b); ff=within(fs,a,b)
    dr=delta('relay',a,b); dl=delta('lg',a,b)
    print("%6.2f-%6.2f (%4.0f ms) | %3d | %5.1f/%5.1f, %6.1f, %4.0f%%, %4.0f%% | %5.1f, %4.0f%%, %4.0f%%"%(W(a,b),W(b,b),(b-a)/1e6,c,
        max([(y-x)/1e6 for x,y,_ in rs] or [0]),sum((y-x)/1e6 for x,y,_ in rs),max([(y-x)/1e6 for x,y in ff] or [0]),
        100*dr[2]/dr[0] if dr[0] else 0,100*dr[1]/dr[0] if dr[0] else 0,
        max([(y-x)/1e6 for x,y,_ in ls] or [0]),100*dl[2]/dl[0] if dl[0] else 0,100*dl[1]/dl[0] if dl[0] else 0))

def classes(w,a,b):
    s=percls.get(w) or []
    if not s: return ''
    ts=[x[0] for x in s]
    i=max(0,bisect.bisect_right(ts,a)-1); j=min(len(s)-1,bisect.bisect_left(ts,b))
    if j<=i: return ''
    dt=(s[j][0]-s[i][0])/100.0
    out=[]
    for c in sorted(s[j][1]):
        r0,c0=s[i][1].get(c,(0,0)); r1,c1=s[j][1][c]
        if (r1-r0)/dt>=5 or (c1-c0)/dt>=5: out.append('%s %.0f/%.0f'%(c,(c1-c0)/dt,(r1-r0)/dt))
    return ', '.join(out)
if percls:
    print("per thread class, cpu%/runq-wait% (of one core):")
    print("  whole open loop: relay: %s | load-gen: %s"%(classes('relay',t_start,t_end),classes('lg',t_start,t_end)))
    for a,b,c in ep:
        print("  %6.2f-%6.2f: relay: %s | load-gen: %s"%(W(a,b),W(b,b),classes('relay',a,b),classes('lg',a,b)))

# relay heap over the measured W1 phases: young GCs, old-generation growth (promotion), heap after GC
def heap(files,a,b):
    n=0; old=0; mx=0; pause=0.0
    for fn in files:
        for line in open(fn):
            m=re.match(r'\[[^\]]*\]\[[^\]]*\]\[(\d+)ns\] GC\(\d+\) (.*)',line)
            if not m or not (a<=int(m.group(1))<=b): continue
            body=m.group(2)
            o=re.match(r'Old regions: (\d+)->(\d+)',body)
            if o: old+=max(0,int(o.group(2))-int(o.group(1)))
            p=re.match(r'Pause Young.*->(\d+)M\(\d+M\) ([\d.]+)ms',body)
            if p: n+=1; mx=max(mx,int(p.group(1))); pause+=float(p.group(2))
    return n,old,mx,pause
cs=open(d+'/out/%s-metrics-closed-loop-start.txt'%peer).readline()
import datetime
wall0=datetime.datetime.fromisoformat(cs[2:].strip()[:26])
# map wall-clock to monotonic with the GC log's own decorators (time and timenanos on each line)
for fn in glob.glob(d+'/relay-gc-*.log'):
    if fn.endswith('relay-gc-%s.log'%relaypid):
        first=open(fn).readline()
        m=re.match(r'\[([^\]]+)\]\[[^\]]*\]\[(\d+)ns\]',first)
        t_wall=datetime.datetime.strptime(m.group(1)[:23],'%Y-%m-%dT%H:%M:%S.%f'); t_ns=int(m.group(2))
        a=t_ns+int((wall0-t_wall).total_seconds()*1e9)
        n,old,mx,pause=heap([fn],a,t_end)
        print("relay heap over the closed and open loop: %d young GCs (%.0f ms of pauses), %d MB moved into the old generation, heap after GC up to %d MB"%(n,pause,old,mx))

# ---- slow WAL fdatasyncs against the relay's flush/compaction syncs
d=sys.argv[1]  # noqa
pids=[re.search(r'gc-(\d+)',f).group(1) for f in glob.glob(d+'/relay-gc-*.log')]
txt=subprocess.run(['perf','script','-i',d+'/fsync.perf','-F','comm,pid,tid,time,event'],capture_output=True,text=True).stdout
op={}; ev=[]
for line in txt.splitlines():
    m=re.match(r'\s*(.+?)\s+(\d+)/(\d+)\s+([\d.]+):\s+syscalls:sys_(enter|exit)_(f\w+|sync_file_range)',line)
    if not m: continue
    comm,pid,tid,t,k,_=m.groups(); t=float(t)
    if k=='enter': op[tid]=(t,_)
    elif tid in op:
        t0,name=op.pop(tid); ev.append((t0,t,comm,pid,name))
mine=[e for e in ev if e[3] in pids]
sfr=[e for e in mine if e[4]=='sync_file_range']
mine=[e for e in mine if e[4]!='sync_file_range']
print('relay sync_file_range calls:',len(sfr))
other=[e for e in ev if e[3] not in pids]
w=[e for e in mine if e[2].startswith('sealpost-mailbo')]
bg=[e for e in mine if e[2].startswith('rocksdb')]+sfr
slow=[e for e in w if e[1]-e[0]>0.02]
ov_bg=sum(1 for a,b,*_ in slow if any(x[0]<b and x[1]>a-0.05 for x in bg))
ov_ot=sum(1 for a,b,*_ in slow if any(x[0]<b and x[1]>a for x in other))
print("%s: writer fdatasyncs %d, >20 ms %d; of these overlapping a flush/compaction sync of the relay (or <50 ms after): %d; overlapping another process's fsync: %d; other processes' fsyncs in run: %d"%(d,len(w),len(slow),ov_bg,ov_ot,len(other)))
fast=[e for e in w if e[1]-e[0]<=0.02]
import random; random.seed(1); smp=random.sample(fast,min(2000,len(fast)))
print("  baseline: of fast writer fsyncs, overlapping relay bg sync: %.1f%%, another process's fsync: %.1f%%"%(100*sum(1 for a,b,*_ in smp if any(x[0]<b and x[1]>a-0.05 for x in bg))/len(smp),100*sum(1 for a,b,*_ in smp if any(x[0]<b and x[1]>a for x in other))/len(smp)))
