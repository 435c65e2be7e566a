/** The panel model's shapes live below the panel (session/ writes files from them); re-exported here for the panel. */
export * from '../../session/capture-model-types';
