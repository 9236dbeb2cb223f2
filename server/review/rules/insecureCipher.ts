// Broken ciphers (DES, 3DES, RC2, RC4, Blowfish, IDEA, CAST) and the ECB mode, in the APIs that
// choose them: Java's Cipher.getInstance transformation strings, PyCryptodome's `X.new`, the
// `cryptography` package's algorithms and modes, Node's createCipheriv names and CryptoJS.
// The algorithm is read from a literal or from a constant the argument names.
import type { CallSite } from '../calls';
import { compact } from '../calls';
import { constantString, documentMentions, moduleImports, qualify } from '../names';
import type { Node } from '../parser';
import type { Rule, RuleContext } from '../rule';

/** Java algorithm names (the part before the first slash of a transformation) that are broken. */
const javaWeak = /^(?:DES|DESede|DESedeWrap|TripleDES|3DES|RC2|RC4|ARCFOUR|Blowfish|IDEA|CAST5|CAST6)$/i;

/** Java algorithms for which "ECB" is only a placeholder in the transformation: `RSA/ECB/OAEPPadding`. */
const javaNotBlockCiphers = /^(?:RSA|ECIES|ElGamal|ChaCha20(?:-Poly1305)?)$/i;

/** PyCryptodome/PyCrypto cipher modules that are broken, and pyDes. */
const pythonWeak = /^(?:(?:(?:Crypto|Cryptodome)\.Cipher\.)?(DES|DES3|ARC2|ARC4|Blowfish|CAST|XOR)\.new|pyDes\.(des|triple_des)|(?:.*\.)?algorithms\.(TripleDES|ARC4|Blowfish|IDEA|CAST5|SEED))$/;

/** Node cipher names (as `openssl list -cipher-algorithms` spells them) that are broken or use ECB. */
const nodeWeak = /^(?:des|desx|des3|rc2|rc4|bf|blowfish|cast|cast5|idea|seed)(?:$|-)/i;

const gcmAdvice = 'use AES in an authenticated mode such as GCM';

export const insecureCipher: Rule = {
  languages: ['python', 'java', 'javascript', 'typescript'],
  meta: {
    name: 'insecure-cipher',
    title: 'Broken cipher or ECB mode',
    category: 'security',
    severity: 'warning',
    cwe: 327,
    why:
      'DES keys are brute-forced in hours, 3DES and Blowfish have 64-bit blocks that leak plaintext over long ' +
      'sessions (Sweet32), and RC4 has biased output; ECB mode encrypts equal blocks to equal ciphertext, so the ' +
      'shape of the data shows through. In Java, `Cipher.getInstance("AES")` silently means AES/ECB. Use AES-256 ' +
      'in an authenticated mode (AES/GCM/NoPadding, `aes-256-gcm`, AESGCM) with a fresh random nonce per message, ' +
      'or ChaCha20-Poly1305.',
    examples: {
      python: {
        noncompliant: 'cipher = AES.new(key, AES.MODE_ECB)',
        compliant: 'cipher = AES.new(key, AES.MODE_GCM)  # nonce generated randomly, use cipher.nonce',
      },
      java: {
        noncompliant: 'Cipher cipher = Cipher.getInstance("AES");  // AES/ECB/PKCS5Padding',
        compliant: 'Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");',
      },
      javascript: {
        noncompliant: "const cipher = crypto.createCipheriv('des-ede3-cbc', key, iv);",
        compliant: "const cipher = crypto.createCipheriv('aes-256-gcm', key, crypto.randomBytes(12));",
      },
      typescript: {
        noncompliant: "const cipher = createCipheriv('aes-128-ecb', key, null);",
        compliant: "const cipher = createCipheriv('aes-256-gcm', key, randomBytes(12));",
      },
    },
  },
  check(context: RuleContext) {
    if (!documentMentions(context.tree, context.text, /cipher|des|rc[24]|arc[24]|blowfish|ecb|xor/i)) return;
    switch (context.language) {
      case 'python': {
        const imports = moduleImports(context.tree.rootNode);
        for (const call of context.calls()) checkPython(context, call, qualify(imports, call.callee));
        return;
      }
      case 'java':
        for (const call of context.calls()) checkJava(context, call);
        return;
      default: {
        for (const call of context.calls()) checkJavaScript(context, call);
        for (const member of context.find('member_expression')) {
          if (/(?:^|\.)CryptoJS\.mode\.ECB$/.test(compact(member.text))) context.report(member, `ECB mode leaks patterns of the plaintext: ${gcmAdvice}.`);
        }
      }
    }
  },
};

function checkPython(context: RuleContext, call: CallSite, callee: string): void {
  const weak = pythonWeak.exec(callee);
  if (weak) {
    const name = weak[1] ?? weak[2] ?? weak[3];
    context.report(call.node.childForFieldName('function')!, `${name} is a broken cipher: ${gcmAdvice} (AESGCM, or AES.new(key, AES.MODE_GCM)).`);
    return;
  }
  if (/(?:^|\.)modes\.ECB$/.test(callee)) {
    context.report(call.node, `ECB mode leaks patterns of the plaintext: ${gcmAdvice} (modes.GCM, or AESGCM).`);
    return;
  }
  const mode = call.name === 'new' ? (call.keywords.get('mode') ?? call.args[1]) : undefined;
  if (mode && /(?:^|\.)MODE_ECB$/.test(mode.text)) context.report(mode, `ECB mode leaks patterns of the plaintext: ${gcmAdvice} (MODE_GCM).`);
}

function checkJava(context: RuleContext, call: CallSite): void {
  if (!/(?:^|\.)Cipher\.getInstance$/.test(call.callee)) return;
  const argument = call.args[0];
  const transformation = constantString(context.language, argument);
  if (!argument || transformation === undefined) return;
  const [algorithm, mode] = transformation.split('/');
  if (javaWeak.test(algorithm)) {
    context.report(argument, `${algorithm} is a broken cipher: ${gcmAdvice} ("AES/GCM/NoPadding").`);
  } else if (mode === undefined && /^AES(?:_\d+)?$/i.test(algorithm)) {
    context.report(argument, `"${transformation}" alone means ${algorithm}/ECB/PKCS5Padding, which leaks patterns of the plaintext: ask for "AES/GCM/NoPadding".`);
  } else if (mode?.toUpperCase() === 'ECB' && !javaNotBlockCiphers.test(algorithm)) {
    context.report(argument, `ECB mode leaks patterns of the plaintext: ${gcmAdvice} ("AES/GCM/NoPadding").`);
  }
}

function checkJavaScript(context: RuleContext, call: CallSite): void {
  if (call.name === 'createCipher' || call.name === 'createDecipher') {
    const at: Node = call.node.childForFieldName('function') ?? call.node;
    context.report(at, `${call.name} derives the key with MD5 and uses no IV (deprecated, removed in Node.js 22): use ${call.name}iv with a random IV and aes-256-gcm.`);
    return;
  }
  if (call.name === 'createCipheriv' || call.name === 'createDecipheriv') {
    const argument = call.args[0];
    const name = constantString(context.language, argument);
    if (!argument || name === undefined) return;
    if (nodeWeak.test(name)) context.report(argument, `'${name}' is a broken cipher: ${gcmAdvice} ('aes-256-gcm').`);
    else if (/-ecb$/i.test(name)) context.report(argument, `ECB mode leaks patterns of the plaintext: ${gcmAdvice} ('aes-256-gcm').`);
    return;
  }
  const cryptoJs = /(?:^|\.)CryptoJS\.(DES|TripleDES|RC4|RC4Drop)\.(?:encrypt|decrypt)$/.exec(call.callee);
  if (cryptoJs) context.report(call.node.childForFieldName('function')!, `${cryptoJs[1]} is a broken cipher: ${gcmAdvice} (Web Crypto AES-GCM, or crypto.createCipheriv('aes-256-gcm', ...)).`);
}
