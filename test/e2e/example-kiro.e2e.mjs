// The bundled example in its kiro form: see exampleScenario.mjs.
import { exampleScenario } from './exampleScenario.mjs';

const s = exampleScenario('kiro');
export const { title, extension, createWorkspace, run } = s;
