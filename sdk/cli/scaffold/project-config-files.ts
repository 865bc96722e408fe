/** tsconfig.json: type-checks the sources the way Node runs them (type stripping, `.ts` imports). */
export function tsconfigJson(): string {
  const config = {
    compilerOptions: {
      target: 'es2023',
      lib: ['es2023'],
      module: 'nodenext',
      moduleResolution: 'nodenext',
      types: ['node'],
      strict: true,
      noUncheckedIndexedAccess: true,
      noImplicitOverride: true,
      verbatimModuleSyntax: true,
      erasableSyntaxOnly: true,
      allowImportingTsExtensions: true,
      isolatedModules: true,
      skipLibCheck: true,
      noEmit: true,
    },
    include: ['src', 'test'],
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** .gitignore; crds/ and chart/files/ are generated but committed, so reviews show their changes. */
export function gitignore(): string {
  return ['node_modules/', '*.log', '.typerator/', ''].join('\n');
}
