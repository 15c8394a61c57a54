import { hasPermission } from '#kit';

export const canSeeStockLevels = hasPermission('stock:read', 'Only warehouse staff and admins can see stock levels');
export const canAdjustStock = hasPermission('stock:adjust', 'Only warehouse staff can adjust stock');
