import json,sys,collections,re
d=json.load(open(sys.argv[1]))
frames=[f['name'] for f in d['shared']['frames']]
incl=collections.Counter(); excl=collections.Counter(); total=0; unm=0
cats=collections.Counter()
rules=[('Razor rendering: IdentityChain',r'IdentityChain'),('Razor rendering: Permissions panel',r'PermissionsPanel|Permissions\.'),
('Format.HumanizeTimestamps / Regex',r'HumanizeTimestamps|RegularExpressions'),
('Antiforgery',r'Antiforgery'),('OpenTelemetry export (OTLP/serialization/gRPC)',r'OpenTelemetry\.Exporter|Grpc\.|Google\.Protobuf|Otlp'),
('OpenTelemetry other (Activity/processors/log)',r'OpenTelemetry|System\.Diagnostics\.Activity|DiagnosticListener|DiagnosticSource'),
('Logging',r'Microsoft\.Extensions\.Logging'),('HttpClient / Api calls',r'System\.Net\.Http\.HttpClient|SocketsHttpHandler|RoleViewerApiClient'),
('Razor rendering (other components, HtmlRenderer, writer)',r'RoleViewer\.Web\.Components|Microsoft\.AspNetCore\.Components|HtmlRenderer|RenderTree'),
('Compression',r'Compression|Brotli|Deflate|GZip'),
('Kestrel/TLS/sockets',r'Kestrel|System\.Net\.Security|System\.Net\.Sockets|Pipelines'),('GC / allocation',r'GC|gc_heap|Allocate')]
for p in d['profiles']:
  tn=p['name']
  def gen(p):
    if 'samples' in p:
      yield from zip(p['samples'],p['weights']); return
    st=[]; last=None
    for e in p['events']:
      if last is not None and st and e['at']>last: yield (list(st), e['at']-last)
      last=e['at']
      if e['type']=='O': st.append(e['frame'])
      else:
        if st: st.pop()
  for s,w in gen(p):
    names=[frames[i] for i in s]
    if not names: continue
    leaf=names[-1]
    if 'UNMANAGED_CODE_TIME' in leaf: unm+=w; continue
    total+=w
    for n in set(names): incl[n]+=w
    excl[names[-2] if leaf=='CPU_TIME' and len(names)>1 else leaf]+=w
    joined='\n'.join(names)
    for c,r in rules:
      if re.search(r,joined): cats[c]+=w; break
    else: cats['other']+=w
print('managed samples weight',total,'unmanaged',unm)
print('\n# categories (first match, in rule order)')
for c,w in cats.most_common(): print(f'{100*w/total:5.1f}%  {c}')
print('\n# top inclusive')
for n,w in incl.most_common(int(sys.argv[2]) if len(sys.argv)>2 else 70): print(f'{100*w/total:5.1f}%  {n[:170]}')
print('\n# top exclusive')
for n,w in excl.most_common(30): print(f'{100*w/total:5.1f}%  {n[:170]}')
