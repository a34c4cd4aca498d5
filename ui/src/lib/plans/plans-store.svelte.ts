// What the plan and the key allow, shared by the gauge, Settings, the composers and Jobs (issue 17): the
// blended quota view (live through `quota-view-changed`), the model table from minimax-api, and whether the
// key has music. Owned by the StudioStore (`studio.plans`).
import type { IpcError } from '$lib/bindings/IpcError';
import type { ModelCatalog } from '$lib/bindings/ModelCatalog';
import type { ModelInfo } from '$lib/bindings/ModelInfo';
import type { ModelModality } from '$lib/bindings/ModelModality';
import type { MusicAccess } from '$lib/bindings/MusicAccess';
import type { QuotaView } from '$lib/bindings/QuotaView';
import {
  getMusicAccess,
  getQuotaView,
  listModels,
  onQuotaViewChanged,
  refreshQuotaView,
  toIpcError,
  type Unlisten,
} from '$lib/ipc';

export class PlansStore {
  view: QuotaView | null = $state.raw(null);
  catalog: ModelCatalog | null = $state.raw(null);
  catalogError: IpcError | null = $state.raw(null);
  music: MusicAccess | null = $state.raw(null);

  /** Loads the view, the model table and the music access, and follows the view's changes. */
  start(): () => void {
    let stopped = false;
    let stop: Unlisten | null = null;
    onQuotaViewChanged((view) => {
      this.view = view;
      // A probe's end or a refusal learnt shows up as a view change: re-read what the key may use.
      void this.loadMusic();
    }).then(
      (unlisten) => (stopped ? unlisten() : (stop = unlisten)),
      (e: unknown) => console.warn('cannot follow the quota view:', toIpcError(e).message),
    );
    void this.loadView();
    void this.loadMusic();
    listModels().then(
      (catalog) => (this.catalog = catalog),
      (e: unknown) => (this.catalogError = toIpcError(e)),
    );
    return () => {
      stopped = true;
      stop?.();
    };
  }

  async loadView(): Promise<void> {
    try {
      this.view = await getQuotaView();
    } catch (e) {
      console.warn('cannot read the quota view:', toIpcError(e).message);
    }
  }

  /** Asks MiniMax for its count now (free). */
  async refresh(): Promise<void> {
    try {
      this.view = await refreshQuotaView();
    } catch (e) {
      console.warn('cannot refresh the quota view:', toIpcError(e).message);
    }
  }

  async loadMusic(): Promise<void> {
    try {
      this.music = await getMusicAccess();
    } catch (e) {
      console.warn('cannot read the music access:', toIpcError(e).message);
    }
  }

  /** Why the plan or the key cannot use `model` (undefined: it can). */
  blocked(model: string): string | undefined {
    const lower = model.toLowerCase();
    return this.view?.notInPlan.find((b) => b.model.toLowerCase() === lower)?.reason;
  }

  /** The catalog's models of `modality`, current first (empty until the catalog arrives). */
  modelsOf(modality: ModelModality): ModelInfo[] {
    return (this.catalog?.models ?? []).filter((m) => m.modality === modality);
  }

  /** One model of the catalog. */
  model(id: string): ModelInfo | undefined {
    return this.catalog?.models.find((m) => m.id === id);
  }
}
