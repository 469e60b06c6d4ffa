// local/layering: every import of a file (static, re-export, import(), require, `import x =
// require()`, `typeof import()`) must be allowed by the allow-list of the file's layer: which
// other layers, whether Node built-ins, which npm packages. Files outside every layer (config
// files at the root) are not checked. The table of Rolecall's layers is in ./layers.js.
import { builtinModules } from 'node:module';
import path from 'node:path';

const builtins = new Set(builtinModules);

/** @type {import('eslint').Rule.RuleModule} */
export const layering = {
  meta: {
    type: 'problem',
    docs: { description: 'Each layer imports only the layers, Node built-ins and npm packages its allow-list names' },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          layers: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                name: { type: 'string' },
                dirs: { type: 'array', items: { type: 'string' } },
                layers: { type: 'array', items: { type: 'string' } },
                node: { type: 'boolean' },
                packages: { type: 'array', items: { type: 'string' } },
                computedSpecifiers: { type: 'boolean' },
              },
              required: ['name', 'dirs', 'layers', 'node', 'packages'],
              additionalProperties: false,
            },
          },
          forbidden: {
            type: 'array',
            items: {
              type: 'object',
              properties: { from: { type: 'string' }, to: { type: 'string' }, message: { type: 'string' } },
              required: ['from', 'to', 'message'],
              additionalProperties: false,
            },
          },
        },
        required: ['root', 'layers'],
        additionalProperties: false,
      },
    ],
    messages: {
      layer: "{{from}} may not import {{to}} ('{{specifier}}'); it may import {{allowed}}.",
      outside: "'{{specifier}}' is {{target}}, outside every layer; {{from}} may import {{allowed}}.",
      node: "{{from}} runs without Node: no Node built-ins ('{{specifier}}').",
      package: "{{from}} may not import the package '{{pkg}}'{{only}}; its packages: {{allowed}}.",
      forbidden: "{{fromDir}} may not import {{toDir}} ('{{specifier}}'): {{message}}",
      computed: '{{kind}} of a computed specifier cannot be checked against the layering; use a string literal.',
    },
  },

  create(context) {
    const { root, layers, forbidden = [] } = context.options[0];
    const file = toPosix(path.relative(root, context.filename));
    const layer = layerOf(layers, file);
    if (!layer) return {};
    const dir = path.dirname(context.filename);
    const list = (xs) => (xs.length ? xs.join(', ') : 'nothing');
    const allowedLayers = () => list([layer.name, ...layer.layers.filter((l) => l !== layer.name)]);

    function check(node, specifier) {
      const spec = specifier.split('?')[0];
      if (spec.startsWith('.') || spec.startsWith('/')) return checkPath(node, specifier, toPosix(path.relative(root, path.resolve(dir, spec))));
      if (spec.startsWith('node:') || builtins.has(spec)) {
        if (!layer.node) context.report({ node, messageId: 'node', data: { from: layer.name, specifier } });
        return;
      }
      const pkg = packageName(spec);
      if (layer.packages.some((p) => matches(p, pkg))) return;
      const others = layers.filter((l) => l.packages.some((p) => matches(p, pkg))).map((l) => l.name);
      context.report({
        node,
        messageId: 'package',
        data: { from: layer.name, pkg, only: others.length ? ` (only ${others.join(', ')} may)` : '', allowed: list(layer.packages) },
      });
    }

    function checkPath(node, specifier, target) {
      const targetLayer = layerOf(layers, target);
      if (!targetLayer) {
        context.report({ node, messageId: 'outside', data: { specifier, target, from: layer.name, allowed: allowedLayers() } });
        return;
      }
      if (targetLayer !== layer && !layer.layers.includes(targetLayer.name)) {
        context.report({ node, messageId: 'layer', data: { from: layer.name, to: targetLayer.name, specifier, allowed: allowedLayers() } });
        return;
      }
      for (const f of forbidden) {
        if (within(file, f.from) && within(target, f.to)) {
          context.report({ node, messageId: 'forbidden', data: { fromDir: f.from, toDir: f.to, specifier, message: f.message } });
          return;
        }
      }
    }

    // import(), require() and friends: a literal (or a template without ${}) is checked; anything
    // else could name any module, so it is refused unless the layer allows computed specifiers.
    function checkArgument(node, arg, kind) {
      if (!arg) return;
      if (arg.type === 'Literal' && typeof arg.value === 'string') return check(arg, arg.value);
      if (arg.type === 'TemplateLiteral' && arg.expressions.length === 0) return check(arg, arg.quasis[0].value.cooked);
      if (!layer.computedSpecifiers) context.report({ node: arg, messageId: 'computed', data: { kind } });
    }

    const source = (node) => {
      if (node.source) check(node.source, node.source.value);
    };
    return {
      ImportDeclaration: source,
      ExportNamedDeclaration: source,
      ExportAllDeclaration: source,
      ImportExpression: (node) => checkArgument(node, node.source, 'import()'),
      CallExpression(node) {
        if (isRequire(node.callee)) checkArgument(node, node.arguments[0], 'require()');
      },
      TSImportEqualsDeclaration(node) {
        const ref = node.moduleReference;
        if (ref.type === 'TSExternalModuleReference') checkArgument(node, ref.expression, 'require()');
      },
      TSImportType(node) {
        const literal = (node.argument ?? node.parameter)?.literal;
        if (literal) checkArgument(node, literal, 'import()');
      },
    };
  },
};

// require(x), require.resolve(x), createRequire(url)(x), module.createRequire(url)(x).
function isRequire(callee) {
  if (callee.type === 'Identifier') return callee.name === 'require';
  if (callee.type === 'MemberExpression') return callee.object.type === 'Identifier' && callee.object.name === 'require' && propertyName(callee) === 'resolve';
  if (callee.type === 'CallExpression') {
    const c = callee.callee;
    return (c.type === 'Identifier' && c.name === 'createRequire') || (c.type === 'MemberExpression' && propertyName(c) === 'createRequire');
  }
  return false;
}

const propertyName = (member) => (member.property.type === 'Identifier' ? member.property.name : member.property.value);

// The longest directory wins, so a layer can sit inside another (test/sandbox inside test).
function layerOf(layers, file) {
  let best = null;
  let bestLength = -1;
  for (const l of layers) {
    for (const d of l.dirs) {
      if (within(file, d) && d.length > bestLength) {
        best = l;
        bestLength = d.length;
      }
    }
  }
  return best;
}

const within = (file, dir) => file === dir || file.startsWith(dir + '/');
const toPosix = (p) => p.split(path.sep).join('/');
const packageName = (spec) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
// 'zod' is exactly zod; '@aws-sdk/client-*' any package starting with '@aws-sdk/client-'.
const matches = (pattern, pkg) => (pattern.endsWith('*') ? pkg.startsWith(pattern.slice(0, -1)) : pkg === pattern);
