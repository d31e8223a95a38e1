# Issue 13 item 4: what the W1 open loop's slow messages waited for, from a run of run-traced.
# Usage: attribute.py <dir> [peer] [quantile]. The slow messages (latency from the scheduled time at
# or above the quantile, default 0.99) are merged into episodes (overlapping [scheduled, delivered]
# intervals); for each episode: the safepoints (GC) of both JVMs, the longest fdatasync of the relay,
# and the CPU and run-queue wait of both processes over the episode (in % of one core, summed over
# threads: a run-queue wait of 300 % is three threads runnable but not running, on average).
import csv,sys,re,glob,subprocess,os,bisect
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
for line in open(d+'/sched.txt'):
    t,w,p,run,cpu=line.split(); sched[w].append((int(t),int(run),int(cpu)))
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
