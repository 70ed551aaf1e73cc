// Imported first by main.ts: a command that generates load restarts here with the FTL tier off (jit-env.ts).
import { reexecWithoutFtl } from "./jit-env.ts";

reexecWithoutFtl();
