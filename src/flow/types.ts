/**
 * Public types of the flow solver (src/flow). The operator, optimizer, dataset generator and CLI all
 * consume these; keep them stable.
 */

/** Flow conditions of an analysis. Angles in degrees, Reynolds number based on chord. */
export interface FlowConditions {
  /** chord Reynolds number (freestream), e.g. 1e6 */
  re: number;
  /** freestream Mach number, 0 <= mach < 1 (Karman-Tsien; subcritical only). Default 0. */
  mach?: number;
  /** critical amplification exponent of the e^N method, both sides. Default 9. */
  nCrit?: number;
  /** forced-transition (trip) location x/c on the upper surface; 1 = free transition. Default 1. */
  xtrTop?: number;
  /** forced-transition (trip) location x/c on the lower surface; 1 = free transition. Default 1. */
  xtrBot?: number;
}

/** Numerical options of the solver (defaults follow XFOIL). */
export interface SolverOptions {
  /** panel nodes after repaneling (XFOIL NPAN). Default 160. */
  panels?: number;
  /** repanel the input with the XFOIL-like curvature-based paneling. Default true. */
  repanel?: boolean;
  /** Newton iterations per operating point before giving up. */
  maxIterations?: number;
  /** convergence tolerance on the rms of the normalized Newton step (XFOIL EPS1 = 1e-4). */
  tolerance?: number;
  /** wake length in chords (XFOIL WAKLEN). Default 1. */
  wakeLengthChords?: number;
}

/** Boundary-layer and surface distributions of one side (or the wake), ordered downstream. */
export interface BoundaryLayerSide {
  side: 'top' | 'bottom' | 'wake';
  /** node coordinates */
  x: Float64Array;
  y: Float64Array;
  /** arc length from the stagnation point (xi) */
  xi: Float64Array;
  /** pressure coefficient (Karman-Tsien) */
  cp: Float64Array;
  /** edge speed ue / Vinf (incompressible panel speed, positive downstream) */
  ue: Float64Array;
  /** displacement thickness delta* / chord */
  deltaStar: Float64Array;
  /** momentum thickness theta / chord */
  theta: Float64Array;
  /** shape factor H = delta* / theta */
  h: Float64Array;
  /** skin friction coefficient on freestream dynamic pressure */
  cf: Float64Array;
  /** amplification exponent N on laminar stations, sqrt(Ctau) on turbulent/wake stations */
  nAmpOrSqrtCtau: Float64Array;
  /** 1 where the station is turbulent (or wake), 0 where laminar */
  turbulent: Uint8Array;
}

/** Result of one operating point (the CLI's --json prints the scalar fields). */
export interface PointResult {
  /** angle of attack, degrees */
  alpha: number;
  cl: number;
  /** total drag (Squire-Young at the end of the wake) */
  cd: number;
  /** pressure drag cd - cdf */
  cdp: number;
  /** friction drag */
  cdf: number;
  /** pitching moment about (0.25, 0), nose up positive */
  cm: number;
  /** transition x/c, upper and lower surface (1 = no transition before the TE) */
  xtrTop: number;
  xtrBot: number;
  /** true when the Newton iteration met the tolerance */
  converged: boolean;
  /** Newton iterations used */
  iterations: number;
  /** last rms of the normalized Newton step (the convergence measure) */
  residual: number;
  /** surface and wake distributions (present for viscous points) */
  boundaryLayer?: { top: BoundaryLayerSide; bottom: BoundaryLayerSide; wake: BoundaryLayerSide };
}
