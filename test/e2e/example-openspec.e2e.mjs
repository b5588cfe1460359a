// The bundled example in its openspec form: see exampleScenario.mjs.
import { exampleScenario } from './exampleScenario.mjs';

const s = exampleScenario('openspec');
export const { title, extension, createWorkspace, run } = s;
