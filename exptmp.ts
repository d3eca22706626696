import * as fs from 'fs';
import { readAirfoilFile } from './src/geometry/io';
import { cstBasis, binomialRow } from './src/geometry/param/cst';
import { normalize } from './src/geometry/normalize';
import { splitSurfaces, linearLeastSquares } from './src/geometry/param/fit';
const dir='/work/shared/data/uiuc-airfoils';
const n=8, nv=2*n+2; const binom=binomialRow(n);
const mode = process.argv[2] ?? 'l2'; const iters = Number(process.argv[3] ?? 30); const derot = process.argv[4] !== 'noderot';
const files = fs.readdirSync(dir).filter(f=>f.endsWith('.dat')).sort();
const devs:number[]=[];
for (const f of files) {
  let a; try { a = readAirfoilFile(dir+'/'+f);} catch { continue; }
  const t = normalize(a,{derotate:derot}); const sp=splitSurfaces(t);
  const rows=[...sp.upper.map(i=>[i,1]),...sp.lower.map(i=>[i,-1])]; const m=rows.length;
  const A=new Float64Array(m*nv), b=new Float64Array(m), bas=new Float64Array(n+1);
  for(let r=0;r<m;r++){const [i,s]=rows[r]; const xc=Math.min(1,Math.max(0,t.x[i])); cstBasis(xc,n,binom,bas); const off=s>0?0:n; for(let k=0;k<n;k++)A[r*nv+off+k]=bas[k]; A[r*nv+2*n]=bas[n]; A[r*nv+2*n+1]=0.5*s*xc; b[r]=t.y[i];}
  const w=new Float64Array(m).fill(1); let best=Infinity;
  for(let it=0; it<(mode==='l2'?1:iters); it++){
    const Aw=new Float64Array(m*nv), bw=new Float64Array(m);
    for(let r=0;r<m;r++){const s=Math.sqrt(w[r]); for(let j=0;j<nv;j++)Aw[r*nv+j]=A[r*nv+j]*s; bw[r]=b[r]*s;}
    const p=linearLeastSquares(Aw,bw,m,nv);
    let mx=0; const res=new Float64Array(m);
    for(let r=0;r<m;r++){let y=0; for(let j=0;j<nv;j++)y+=A[r*nv+j]*p[j]; res[r]=Math.abs(y-b[r]); mx=Math.max(mx,res[r]);}
    best=Math.min(best,mx);
    if(mode==='lawson'){ let sw=0; for(let r=0;r<m;r++){w[r]*=res[r]+1e-12; sw+=w[r];} for(let r=0;r<m;r++)w[r]/=sw; }
    else if(mode.startsWith('p')){ const pp=Number(mode.slice(1)); for(let r=0;r<m;r++) w[r]=Math.pow(Math.max(res[r],1e-7*mx),pp-2); }
  }
  devs.push(best);
}
devs.sort((a,b)=>a-b); const q=(f:number)=>devs[Math.floor(f*(devs.length-1)+0.5)];
console.log(mode, iters, derot, 'median',q(0.5).toExponential(3),'p90',q(0.9).toExponential(3),'p99',q(0.99).toExponential(3),'frac<=2e-3',(devs.filter(d=>d<=2e-3).length/devs.length).toFixed(4));
