/**
 * Runs the Kubernetes API emulator on its own:
 *   npm run kube-emulator -- --port 8080 --kubeconfig ./emulator.kubeconfig [--no-controllers] [--step-ms 50]
 * Writes the kubeconfig once the server listens, prints the URL, stops on SIGINT/SIGTERM.
 */
import { startKubeEmulator } from './index.js';

function flag(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(args: readonly string[]): Promise<void> {
  const port = Number(flag(args, '--port') ?? 0);
  const stepMs = flag(args, '--step-ms');
  const emulator = await startKubeEmulator({
    port,
    controller: {
      enabled: !args.includes('--no-controllers'),
      ...(stepMs ? { stepMs: Number(stepMs) } : {}),
    },
  });
  const kubeconfig = flag(args, '--kubeconfig');
  if (kubeconfig) await emulator.writeKubeconfig(kubeconfig);
  process.stdout.write(`${emulator.url}\n`);
  const shutdown = () => {
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`kube-emulator: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
