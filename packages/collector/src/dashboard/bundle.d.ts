/** `import text from './module.ts?bundle'`: the module bundled for the browser, as text (build/dashboard-client.ts). */
declare module '*?bundle' {
  const text: string;
  export default text;
}
