// Text imports of the embedded assets (import … with { type: "text" }): their default export is the file's text.
declare module "*.css" {
  const text: string;
  export default text;
}
declare module "*/assets/app.js" {
  const text: string;
  export default text;
}
declare module "uplot/dist/uPlot.iife.min.js" {
  const text: string;
  export default text;
}
