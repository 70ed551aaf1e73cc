// Imported first by main.ts: a command that generates load restarts here with its JavaScriptCore settings (jit-env.ts).
import { reexecForLoad } from "./jit-env.ts";

reexecForLoad();
