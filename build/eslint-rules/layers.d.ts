export interface Layer {
  name: string;
  dirs: string[];
  layers: string[];
  node: boolean;
  packages: string[];
  computedSpecifiers?: boolean;
}
export declare const root: string;
export declare const layers: Layer[];
export declare const forbidden: { from: string; to: string; message: string }[];
