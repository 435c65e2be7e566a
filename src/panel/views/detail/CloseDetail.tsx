/** The detail pane's ×: closes the frame details until the user opens them again (remembered, as a layout choice). */
export function CloseDetail({ onClose }: { onClose: () => void }) {
  return (
    <button type="button" class="close-detail" aria-label="Close frame details"
      title="Close frame details (Enter on a frame, or ◧ in the table header, opens them again)" onClick={onClose}>×</button>
  );
}
