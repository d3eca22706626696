import { parsec } from './src/geometry/param/parsec';
import { readAirfoilFile } from './src/geometry/io';
import { nearestOnPolyline } from './src/geometry/param/fit';
const ps = parsec();
const a = readAirfoilFile(`/work/shared/data/uiuc-airfoils/ag35.dat`); const r=ps.fit(a);
const s = ps.coordinates(r.params); const foot={segment:0,t:0,distance:0};
for (let i=0;i<a.x.length;i+=6){ const d=nearestOnPolyline(s.x,s.y,a.x[i],a.y[i],foot).distance; console.log(i, a.x[i].toFixed(4), a.y[i].toFixed(5), d.toExponential(2)); }
