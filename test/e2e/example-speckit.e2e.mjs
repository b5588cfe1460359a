// The bundled example in its speckit form: see exampleScenario.mjs.
import { exampleScenario } from './exampleScenario.mjs';

const s = exampleScenario('speckit');
export const { title, extension, createWorkspace, run } = s;
